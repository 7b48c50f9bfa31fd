package dev.acmechallenge.sample.acme;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestInstance.Lifecycle;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.util.FileSystemUtils;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs the sample app with its {@code https} profile, starting from the self-signed bootstrap
 * certificate, and has certbot obtain and then renew a certificate from Pebble through the app's
 * plain-HTTP port ({@code acme.http-port}). After each certbot run, the deploy hook copies the
 * certificate to the app's TLS directory, and the running app must serve it on its HTTPS port.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "server.address=127.0.0.1", "acme.http-port=0",
				"spring.ssl.bundle.watch.file.quiet-period=500ms" })
@ActiveProfiles("https")
@TestInstance(Lifecycle.PER_CLASS)
class CertificateRenewalTests {

	private static final String DOMAIN = "app.test";

	private static final Duration RELOAD_TIMEOUT = Duration.ofSeconds(60);

	private static final Duration POLL_INTERVAL = Duration.ofMillis(200);

	private static final Path directory = createTemporaryDirectory();

	private static final Path webroot = directory.resolve("webroot");

	private static final Path tlsDirectory = directory.resolve("tls");

	@LocalServerPort
	private int httpsPort;

	@Value("${local.acme.http-port}")
	private int httpPort;

	private Pebble pebble;

	private Certbot certbot;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		registry.add("acme.webroot", webroot::toString);
		registry.add("ACME_TLS_DIR", tlsDirectory::toString);
	}

	@BeforeAll
	void startPebble() throws IOException {
		this.pebble = Pebble.start(Files.createDirectories(directory.resolve("pebble")), this.httpPort);
		this.certbot = new Certbot(this.pebble, Files.createDirectories(directory.resolve("certbot")));
	}

	@AfterAll
	void stopPebble() throws IOException {
		if (this.pebble != null) {
			this.pebble.close();
		}
		FileSystemUtils.deleteRecursively(directory);
	}

	@Test
	void renewedCertificateServedWithoutRestart() throws Exception {
		X509Certificate bootstrap = servedCertificate();
		assertThat(bootstrap.getSubjectX500Principal().getName()).isEqualTo("CN=localhost");

		Certbot.Result issued = this.certbot.webroot(webroot, DOMAIN, "--deploy-hook", deployHook());
		assertThat(issued.succeeded()).as(details(issued)).isTrue();
		BigInteger certificateA = readCertificate(issued.certificate()).getSerialNumber();
		assertThat(awaitServedSerial(certificateA)).as("serial served after issuance").isEqualTo(certificateA);

		Certbot.Result renewed = this.certbot.webroot(webroot, DOMAIN, "--deploy-hook", deployHook(),
				Certbot.FORCE_RENEWAL);
		assertThat(renewed.succeeded()).as(details(renewed)).isTrue();
		BigInteger certificateB = readCertificate(renewed.certificate()).getSerialNumber();
		assertThat(certificateB).as("serial of the renewed certificate").isNotEqualTo(certificateA);
		assertThat(awaitServedSerial(certificateB)).as("serial served after renewal").isEqualTo(certificateB);
	}

	/**
	 * Returns the shell command that runs the sample app's deploy hook with this test's TLS
	 * directory. Certbot looks up the first word as it is, without shell quoting, so neither
	 * path may contain a space.
	 */
	private static String deployHook() {
		Path hook = Path.of("certbot", "deploy-hook.sh").toAbsolutePath();
		return hook + " " + tlsDirectory;
	}

	/**
	 * Polls TLS handshakes with the app until it presents a certificate with the given serial
	 * number or the reload timeout passes, and returns the serial number served last.
	 */
	private BigInteger awaitServedSerial(BigInteger expected) throws IOException, GeneralSecurityException,
			InterruptedException {
		long deadline = System.nanoTime() + RELOAD_TIMEOUT.toNanos();
		BigInteger served = servedCertificate().getSerialNumber();
		while (!served.equals(expected) && System.nanoTime() - deadline < 0) {
			TimeUnit.MILLISECONDS.sleep(POLL_INTERVAL.toMillis());
			served = servedCertificate().getSerialNumber();
		}
		return served;
	}

	/**
	 * Performs a TLS handshake with the app's HTTPS port for {@value #DOMAIN} and returns the
	 * leaf certificate it presents. Any certificate is accepted: the test compares serial numbers.
	 */
	private X509Certificate servedCertificate() throws IOException, GeneralSecurityException {
		SSLContext context = SSLContext.getInstance("TLS");
		context.init(null, new TrustManager[] { new AcceptingTrustManager() }, null);
		try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket()) {
			socket.connect(new InetSocketAddress(ExternalProcesses.LOOPBACK, this.httpsPort), 5000);
			socket.setSoTimeout(5000);
			SSLParameters parameters = socket.getSSLParameters();
			parameters.setServerNames(List.of(new SNIHostName(DOMAIN)));
			socket.setSSLParameters(parameters);
			socket.startHandshake();
			return (X509Certificate) socket.getSession().getPeerCertificates()[0];
		}
	}

	private String details(Certbot.Result result) {
		return "certbot run:\n" + result.output() + "\n" + this.pebble.output();
	}

	private static Path createTemporaryDirectory() {
		try {
			Path created = Files.createTempDirectory("certificate-renewal-tests");
			Files.createDirectory(created.resolve("webroot"));
			bootstrapCertificate(created.resolve("tls"));
			return created;
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Failed to create a temporary directory", ex);
		}
	}

	/**
	 * Runs the sample app's bootstrap script, which writes the self-signed certificate that the
	 * app starts with.
	 */
	private static void bootstrapCertificate(Path tls) throws IOException {
		Path output = tls.resolveSibling("bootstrap.log");
		ProcessBuilder builder = new ProcessBuilder(Path.of("certbot", "bootstrap-certificate.sh").toString(),
				tls.toString())
			.redirectErrorStream(true)
			.redirectOutput(output.toFile());
		int exitCode = ExternalProcesses.awaitExit(builder.start(), "bootstrap-certificate.sh", Duration.ofSeconds(30),
				output);
		if (exitCode != 0) {
			throw new IllegalStateException("bootstrap-certificate.sh failed with exit code " + exitCode + ":\n"
					+ ExternalProcesses.readOutput(output));
		}
	}

	private static X509Certificate readCertificate(Path pem) throws IOException, GeneralSecurityException {
		try (InputStream input = Files.newInputStream(pem)) {
			return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(input);
		}
	}

	/**
	 * Trust manager that accepts every server certificate, for reading the served certificate
	 * only. Nothing is sent over these connections.
	 */
	private static final class AcceptingTrustManager implements X509TrustManager {

		@Override
		public void checkClientTrusted(X509Certificate[] chain, String authType) {
		}

		@Override
		public void checkServerTrusted(X509Certificate[] chain, String authType) {
		}

		@Override
		public X509Certificate[] getAcceptedIssuers() {
			return new X509Certificate[0];
		}

	}

}
