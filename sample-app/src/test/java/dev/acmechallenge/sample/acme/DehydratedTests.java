package dev.acmechallenge.sample.acme;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestInstance.Lifecycle;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.util.FileSystemUtils;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Obtains a certificate for {@code app.test} from Pebble with dehydrated, whose {@code WELLKNOWN}
 * directory is the sample app's {@code acme.challenge-directory}: the directory that contains the
 * token files themselves. Dehydrated runs once for the whole class. The test skips the sample
 * app's {@code application.properties} (through {@code spring.config.name}), because its default
 * {@code acme.webroot} cannot be combined with {@code acme.challenge-directory}.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "server.address=127.0.0.1", "spring.config.name=dehydrated-tests" })
@TestInstance(Lifecycle.PER_CLASS)
@ExtendWith(OutputCaptureExtension.class)
class DehydratedTests {

	private static final String DOMAIN = "app.test";

	/**
	 * SAN type of a DNS name in {@link X509Certificate#getSubjectAlternativeNames()}.
	 */
	private static final int DNS_NAME = 2;

	/**
	 * Directory for the challenge directory and the files of Pebble and dehydrated, created before
	 * the application context, which needs the challenge directory, starts.
	 */
	private static final Path directory = createTemporaryDirectory();

	private static final Path challengeDirectory = directory.resolve("acme-challenges");

	@LocalServerPort
	private int port;

	private Pebble pebble;

	private Dehydrated.Result result;

	@DynamicPropertySource
	static void acmeProperties(DynamicPropertyRegistry registry) {
		registry.add("acme.challenge-directory", challengeDirectory::toString);
	}

	@BeforeAll
	void obtainCertificate() throws IOException {
		this.pebble = Pebble.start(Files.createDirectories(directory.resolve("pebble")), this.port);
		Dehydrated dehydrated = new Dehydrated(this.pebble, Files.createDirectories(directory.resolve("dehydrated")),
				challengeDirectory);
		this.result = dehydrated.certificate(DOMAIN);
	}

	@AfterAll
	void stopPebble() throws IOException {
		if (this.pebble != null) {
			this.pebble.close();
		}
		FileSystemUtils.deleteRecursively(directory);
	}

	@Test
	void dehydratedSucceeds() {
		assertThat(this.result.exitCode()).as(failureDetails()).isZero();
	}

	@Test
	void certificateNamesDomain() throws Exception {
		assertThat(this.result.certificate()).as(failureDetails()).isRegularFile();
		try (InputStream input = Files.newInputStream(this.result.certificate())) {
			X509Certificate certificate = (X509Certificate) CertificateFactory.getInstance("X.509")
				.generateCertificate(input);
			assertThat(certificate.getSubjectAlternativeNames()).containsExactly(List.of(DNS_NAME, DOMAIN));
		}
	}

	@Test
	void logShowsServedChallenge(CapturedOutput output) {
		assertThat(output).as(failureDetails())
			.containsPattern("Served ACME challenge token \\[[A-Za-z0-9_-]{43}\\] to 127\\.0\\.0\\.1 "
					+ "\\(User-Agent \\[LetsEncrypt-Pebble-VA");
	}

	@Test
	void dehydratedRemovesTokenFiles() throws IOException {
		try (Stream<Path> files = Files.list(challengeDirectory)) {
			assertThat(files).as(failureDetails()).isEmpty();
		}
	}

	private String failureDetails() {
		return "dehydrated run:\n" + this.result.output() + "\n" + this.pebble.output();
	}

	private static Path createTemporaryDirectory() {
		try {
			Path created = Files.createTempDirectory("dehydrated-tests");
			Files.createDirectory(created.resolve("acme-challenges"));
			return created;
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Failed to create a temporary directory", ex);
		}
	}

}
