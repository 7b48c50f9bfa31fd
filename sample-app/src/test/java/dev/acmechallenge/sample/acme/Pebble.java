package dev.acmechallenge.sample.acme;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Hashtable;
import java.util.concurrent.TimeUnit;

import javax.naming.NamingException;
import javax.naming.directory.Attribute;
import javax.naming.directory.DirContext;
import javax.naming.directory.InitialDirContext;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Pebble, Let's Encrypt's RFC 8555 test CA, started for one test on 127.0.0.1 together with
 * {@code pebble-challtestsrv} as its DNS server, which resolves every name to 127.0.0.1.
 * <p>
 * Pebble validates HTTP-01 challenges by fetching
 * {@code http://<domain>:<httpPort>/.well-known/acme-challenge/<token>}, so with the port of the
 * application under test any domain, such as {@code app.test}, is validated against that
 * application. Typical use:
 * <pre>{@code
 * try (Pebble pebble = Pebble.start(temporaryDirectory, applicationPort)) {
 *     // run an ACME client against pebble.directoryUrl(), trusting pebble.tlsCertificate()
 * }
 * }</pre>
 * Pebble runs with {@code PEBBLE_VA_NOSLEEP=1} (no random delay before validation),
 * {@code PEBBLE_WFE_NONCEREJECT=0} (no deliberately rejected nonces) and
 * {@code PEBBLE_AUTHZREUSE=0} (every order is validated again, including renewals). Pebble
 * fetches each challenge several times, imitating validation from several network perspectives.
 * Both processes write their output to files in the given directory; {@link #output()} returns it
 * for failure messages.
 */
public final class Pebble implements AutoCloseable {

	private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(30);

	private static final Duration POLL_INTERVAL = Duration.ofMillis(50);

	/**
	 * Name looked up to check that the DNS server is ready. Any name resolves to 127.0.0.1.
	 */
	private static final String READINESS_DNS_NAME = "readiness.pebble.test";

	private final Path directory;

	private final URI directoryUrl;

	private final URI managementUrl;

	private final Path tlsCertificate;

	private final Path tlsKey;

	private final Path pebbleOutput;

	private final Path dnsOutput;

	private Process dnsServer;

	private Process pebble;

	private final Ports ports;

	private Pebble(Path directory, Ports ports) {
		this.directory = directory;
		this.ports = ports;
		this.directoryUrl = URI.create("https://127.0.0.1:" + ports.listen() + "/dir");
		this.managementUrl = URI.create("https://127.0.0.1:" + ports.management() + "/");
		this.tlsCertificate = directory.resolve("pebble-tls-cert.pem");
		this.tlsKey = directory.resolve("pebble-tls-key.pem");
		this.pebbleOutput = directory.resolve("pebble.log");
		this.dnsOutput = directory.resolve("pebble-challtestsrv.log");
	}

	/**
	 * Starts Pebble and its DNS server and waits until both are ready.
	 * @param directory an existing directory for the TLS key pair, the configuration and the
	 * process output, typically a JUnit {@code @TempDir}
	 * @param httpPort the port on 127.0.0.1 that Pebble sends HTTP-01 validation requests to
	 * @return the running Pebble, to be closed by the caller
	 * @throws IOException if a file cannot be written or a process cannot be started
	 */
	public static Pebble start(Path directory, int httpPort) throws IOException {
		Path pebbleExecutable = ExternalProcesses.requireExecutable("pebble", "pebble");
		Path dnsExecutable = ExternalProcesses.requireExecutable("pebble-challtestsrv", "pebble");
		Path openssl = ExternalProcesses.requireExecutable("openssl", "openssl");
		Pebble instance = new Pebble(directory, Ports.allocate());
		try {
			instance.createTlsCertificate(openssl);
			instance.startDnsServer(dnsExecutable);
			instance.startPebble(pebbleExecutable, httpPort);
			return instance;
		}
		catch (IOException | RuntimeException | Error ex) {
			instance.close();
			throw ex;
		}
	}

	/**
	 * Returns the URL of Pebble's ACME directory, the {@code --server} for ACME clients.
	 */
	public URI directoryUrl() {
		return this.directoryUrl;
	}

	/**
	 * Returns the PEM file of the self-signed certificate of Pebble's API listener, which ACME
	 * clients must trust (for example via {@code REQUESTS_CA_BUNDLE} for certbot).
	 */
	public Path tlsCertificate() {
		return this.tlsCertificate;
	}

	/**
	 * Fetches the root certificate that this Pebble instance generated at startup and that its
	 * issued certificates chain up to.
	 * @return the root certificate
	 * @throws IOException if it cannot be fetched or parsed
	 */
	public X509Certificate rootCertificate() throws IOException {
		HttpResponse<InputStream> response = send(this.managementUrl.resolve("/roots/0"));
		try (InputStream body = response.body()) {
			if (response.statusCode() != 200) {
				throw new IOException("Pebble returned status " + response.statusCode() + " for its root certificate");
			}
			return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(body);
		}
		catch (GeneralSecurityException ex) {
			throw new IOException("Failed to parse Pebble's root certificate", ex);
		}
	}

	/**
	 * Returns the output of Pebble and its DNS server so far, for failure messages.
	 */
	public String output() {
		return "--- pebble (" + this.pebbleOutput + ") ---\n" + ExternalProcesses.readOutput(this.pebbleOutput)
				+ "--- pebble-challtestsrv (" + this.dnsOutput + ") ---\n"
				+ ExternalProcesses.readOutput(this.dnsOutput);
	}

	/**
	 * Stops Pebble and its DNS server by their PIDs.
	 */
	@Override
	public void close() {
		ExternalProcesses.stop(this.pebble);
		ExternalProcesses.stop(this.dnsServer);
	}

	private void createTlsCertificate(Path openssl) throws IOException {
		Path opensslOutput = this.directory.resolve("openssl.log");
		Process process = new ProcessBuilder(openssl.toString(), "req", "-x509", "-newkey", "ec", "-pkeyopt",
				"ec_paramgen_curve:prime256v1", "-nodes", "-days", "7", "-subj", "/CN=localhost", "-addext",
				"subjectAltName=DNS:localhost,IP:127.0.0.1", "-keyout", this.tlsKey.toString(), "-out",
				this.tlsCertificate.toString())
			.redirectErrorStream(true)
			.redirectOutput(opensslOutput.toFile())
			.start();
		int exitCode = ExternalProcesses.awaitExit(process, "openssl", STARTUP_TIMEOUT, opensslOutput);
		if (exitCode != 0) {
			throw new IllegalStateException("openssl failed to create Pebble's TLS certificate (exit code " + exitCode
					+ "):\n" + ExternalProcesses.readOutput(opensslOutput));
		}
	}

	/**
	 * Returns Pebble's configuration. Nothing listens on {@code tlsPort}, the port Pebble would
	 * send TLS-ALPN-01 validations to, because these tests use HTTP-01 only.
	 */
	private String configuration(int httpPort) {
		return """
				{
				  "pebble": {
				    "listenAddress": "127.0.0.1:%d",
				    "managementListenAddress": "127.0.0.1:%d",
				    "certificate": "%s",
				    "privateKey": "%s",
				    "httpPort": %d,
				    "tlsPort": %d,
				    "ocspResponderURL": "",
				    "externalAccountBindingRequired": false
				  }
				}
				""".formatted(this.ports.listen(), this.ports.management(), json(this.tlsCertificate),
				json(this.tlsKey), httpPort, this.ports.tlsAlpn());
	}

	private void startDnsServer(Path executable) throws IOException {
		int dnsPort = this.ports.dns();
		this.dnsServer = new ProcessBuilder(executable.toString(), "-dns01", "127.0.0.1:" + dnsPort, "-http01", "",
				"-https01", "", "-tlsalpn01", "", "-management", "127.0.0.1:" + this.ports.dnsManagement(),
				"-defaultIPv4", "127.0.0.1", "-defaultIPv6", "")
			.redirectErrorStream(true)
			.redirectOutput(this.dnsOutput.toFile())
			.start();
		awaitReady(this.dnsServer, "pebble-challtestsrv", () -> resolvesToLoopback(dnsPort));
	}

	private void startPebble(Path executable, int httpPort) throws IOException {
		Path config = this.directory.resolve("pebble-config.json");
		Files.writeString(config, configuration(httpPort), StandardCharsets.UTF_8);
		ProcessBuilder builder = new ProcessBuilder(executable.toString(), "-config", config.toString(),
				"-dnsserver", "127.0.0.1:" + this.ports.dns())
			.redirectErrorStream(true)
			.redirectOutput(this.pebbleOutput.toFile());
		builder.environment().put("PEBBLE_VA_NOSLEEP", "1");
		builder.environment().put("PEBBLE_WFE_NONCEREJECT", "0");
		builder.environment().put("PEBBLE_AUTHZREUSE", "0");
		this.pebble = builder.start();
		awaitReady(this.pebble, "pebble", this::directoryAvailable);
	}

	/**
	 * Polls a readiness check until it passes, failing when the process exits or the startup
	 * timeout passes first.
	 */
	private void awaitReady(Process process, String name, ReadinessCheck check) {
		long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
		while (!check.isReady()) {
			if (System.nanoTime() - deadline > 0) {
				throw new IllegalStateException(
						name + " did not become ready within " + STARTUP_TIMEOUT.toSeconds() + " s\n" + output());
			}
			try {
				if (process.waitFor(POLL_INTERVAL.toMillis(), TimeUnit.MILLISECONDS)) {
					throw new IllegalStateException(
							name + " exited during startup with code " + process.exitValue() + "\n" + output());
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException("Interrupted while waiting for " + name + " to start", ex);
			}
		}
	}

	private boolean resolvesToLoopback(int dnsPort) {
		Hashtable<String, String> environment = new Hashtable<>();
		environment.put(DirContext.INITIAL_CONTEXT_FACTORY, "com.sun.jndi.dns.DnsContextFactory");
		environment.put(DirContext.PROVIDER_URL, "dns://127.0.0.1:" + dnsPort);
		environment.put("com.sun.jndi.dns.timeout.initial", "200");
		environment.put("com.sun.jndi.dns.timeout.retries", "1");
		try {
			DirContext context = new InitialDirContext(environment);
			try {
				Attribute addresses = context.getAttributes(READINESS_DNS_NAME, new String[] { "A" }).get("A");
				return addresses != null && addresses.contains("127.0.0.1");
			}
			finally {
				context.close();
			}
		}
		catch (NamingException ex) {
			return false;
		}
	}

	private boolean directoryAvailable() {
		try {
			HttpResponse<InputStream> response = send(this.directoryUrl);
			response.body().close();
			return response.statusCode() == 200;
		}
		catch (ConnectException ex) {
			return false;
		}
		catch (IOException ex) {
			throw new IllegalStateException("Failed to fetch Pebble's directory " + this.directoryUrl, ex);
		}
	}

	/**
	 * Sends a GET request to Pebble over TLS, trusting only Pebble's own API certificate.
	 */
	private HttpResponse<InputStream> send(URI uri) throws IOException {
		HttpClient client = HttpClient.newBuilder()
			.sslContext(trustingTlsCertificate())
			.connectTimeout(Duration.ofSeconds(5))
			.build();
		HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).GET().build();
		try {
			return client.send(request, HttpResponse.BodyHandlers.ofInputStream());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IOException("Interrupted while requesting " + uri, ex);
		}
	}

	private SSLContext trustingTlsCertificate() throws IOException {
		try (InputStream pem = Files.newInputStream(this.tlsCertificate)) {
			KeyStore trustStore = KeyStore.getInstance(KeyStore.getDefaultType());
			trustStore.load(null, null);
			trustStore.setCertificateEntry("pebble", CertificateFactory.getInstance("X.509").generateCertificate(pem));
			TrustManagerFactory trustManagers = TrustManagerFactory
				.getInstance(TrustManagerFactory.getDefaultAlgorithm());
			trustManagers.init(trustStore);
			SSLContext context = SSLContext.getInstance("TLS");
			context.init(null, trustManagers.getTrustManagers(), null);
			return context;
		}
		catch (GeneralSecurityException ex) {
			throw new IOException("Failed to trust Pebble's TLS certificate " + this.tlsCertificate, ex);
		}
	}

	private static String json(Path path) {
		return path.toString().replace("\\", "\\\\").replace("\"", "\\\"");
	}

	/**
	 * Ports on 127.0.0.1 for Pebble's ACME API and management listeners, its unused TLS-ALPN-01
	 * validation port, and the DNS server's DNS (TCP and UDP) and management listeners.
	 */
	private record Ports(int listen, int management, int tlsAlpn, int dns, int dnsManagement) {

		static Ports allocate() {
			int[] ports = ExternalProcesses.freePorts(5);
			return new Ports(ports[0], ports[1], ports[2], ports[3], ports[4]);
		}

	}

	@FunctionalInterface
	private interface ReadinessCheck {

		boolean isReady();

	}

}
