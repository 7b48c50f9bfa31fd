package dev.acmechallenge.sample.acme;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestInstance.Lifecycle;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.util.FileSystemUtils;

import dev.acmechallenge.autoconfigure.ChallengeOutcome;
import dev.acmechallenge.autoconfigure.ChallengeRequestListener;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;

/**
 * Obtains a certificate for {@code app.test} from Pebble with {@code certbot certonly --webroot},
 * where Pebble validates the HTTP-01 challenge against the running sample app, which serves it
 * from its {@code acme.webroot}. Certbot runs once for the whole class, and each test checks one
 * result of that run.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "server.address=127.0.0.1")
@TestInstance(Lifecycle.PER_CLASS)
class CertbotWebrootTests {

	private static final String DOMAIN = "app.test";

	/**
	 * SAN type of a DNS name in {@link X509Certificate#getSubjectAlternativeNames()}.
	 */
	private static final int DNS_NAME = 2;

	/**
	 * Directory for the web root and the files of Pebble and certbot. It is created here rather
	 * than by {@code @TempDir} because the application context, which needs the web root, starts
	 * before JUnit injects temporary directories into a {@code PER_CLASS} test.
	 */
	private static final Path directory = createTemporaryDirectory();

	private static final Path webroot = directory.resolve("webroot");

	@LocalServerPort
	private int port;

	@Autowired
	private ServedChallenges servedChallenges;

	private Pebble pebble;

	private Certbot.Result result;

	@DynamicPropertySource
	static void acmeProperties(DynamicPropertyRegistry registry) {
		registry.add("acme.webroot", webroot::toString);
	}

	@BeforeAll
	void obtainCertificate() throws IOException {
		this.pebble = Pebble.start(Files.createDirectories(directory.resolve("pebble")), this.port);
		Certbot certbot = new Certbot(this.pebble, Files.createDirectories(directory.resolve("certbot")));
		this.result = certbot.webroot(webroot, DOMAIN);
	}

	@AfterAll
	void stopPebble() throws IOException {
		if (this.pebble != null) {
			this.pebble.close();
		}
		FileSystemUtils.deleteRecursively(directory);
	}

	@Test
	void certbotSucceeds() {
		assertThat(this.result.exitCode()).as(failureDetails()).isZero();
	}

	@Test
	void certificateFileExists() {
		assertThat(this.result.certificate()).as(failureDetails()).isRegularFile();
	}

	@Test
	void certificateNamesDomain() throws Exception {
		X509Certificate certificate = readCertificate(this.result.certificate());
		assertThat(certificate.getSubjectAlternativeNames()).containsExactly(List.of(DNS_NAME, DOMAIN));
	}

	@Test
	void certificateIssuedByPebble() throws Exception {
		X509Certificate certificate = readCertificate(this.result.certificate());
		X509Certificate intermediate = readCertificate(this.result.certificate().resolveSibling("chain.pem"));
		X509Certificate root = this.pebble.rootCertificate();
		assertThat(certificate.getIssuerX500Principal()).isEqualTo(intermediate.getSubjectX500Principal());
		assertThat(intermediate.getSubjectX500Principal().getName()).contains("Pebble Intermediate CA");
		assertThatNoException().as("certificate signed by the intermediate")
			.isThrownBy(() -> certificate.verify(intermediate.getPublicKey()));
		assertThatNoException().as("intermediate signed by this Pebble's root")
			.isThrownBy(() -> intermediate.verify(root.getPublicKey()));
	}

	@Test
	void appServesChallenge() {
		assertThat(this.servedChallenges.hosts()).as(failureDetails()).isNotEmpty().containsOnly(DOMAIN);
	}

	@Test
	void certbotRemovesTokenFile() {
		Path challengeDirectory = webroot.resolve(".well-known").resolve("acme-challenge");
		assertThat(this.servedChallenges.tokens()).as(failureDetails())
			.isNotEmpty()
			.allSatisfy((token) -> assertThat(challengeDirectory.resolve(token)).doesNotExist());
	}

	private String failureDetails() {
		return "certbot run:\n" + this.result.output() + "\n" + this.pebble.output();
	}

	private static Path createTemporaryDirectory() {
		try {
			Path created = Files.createTempDirectory("certbot-webroot-tests");
			Files.createDirectory(created.resolve("webroot"));
			return created;
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Failed to create a temporary directory", ex);
		}
	}

	private static X509Certificate readCertificate(Path pem) throws IOException, GeneralSecurityException {
		try (InputStream input = Files.newInputStream(pem)) {
			return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(input);
		}
	}

	@TestConfiguration(proxyBeanMethods = false)
	static class ServedChallengesConfiguration {

		@Bean
		ServedChallenges servedChallenges() {
			return new ServedChallenges();
		}

	}

	/**
	 * Records the token and the requested host name of every challenge the app served.
	 */
	static class ServedChallenges implements ChallengeRequestListener {

		private final List<String> tokens = new CopyOnWriteArrayList<>();

		private final List<String> hosts = new CopyOnWriteArrayList<>();

		@Override
		public void onChallengeRequest(ChallengeOutcome outcome, String token,
				jakarta.servlet.http.HttpServletRequest request, long durationNanos) {
			if (outcome == ChallengeOutcome.SERVED) {
				this.tokens.add(token);
				this.hosts.add(request.getServerName());
			}
		}

		List<String> tokens() {
			return this.tokens;
		}

		List<String> hosts() {
			return this.hosts;
		}

	}

}
