package dev.acmechallenge.autoconfigure;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Self-signed certificate for {@code localhost} and {@code 127.0.0.1} in a PKCS12 key store,
 * made once per test run with the JDK's {@code keytool}.
 */
final class TestKeyStore {

	static final String PASSWORD = "changeit";

	private static final Path PATH = create();

	private TestKeyStore() {
	}

	static Path path() {
		return PATH;
	}

	/**
	 * Returns the properties that make the main port serve HTTPS with this key store.
	 */
	static String[] serverSslProperties() {
		return new String[] { "server.ssl.key-store=" + PATH, "server.ssl.key-store-password=" + PASSWORD,
				"server.ssl.key-store-type=PKCS12" };
	}

	/**
	 * Returns an SSL context that trusts this certificate only.
	 */
	static SSLContext trustingContext() throws IOException, GeneralSecurityException {
		KeyStore keyStore = KeyStore.getInstance("PKCS12");
		try (InputStream input = Files.newInputStream(PATH)) {
			keyStore.load(input, PASSWORD.toCharArray());
		}
		TrustManagerFactory trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
		trustManagers.init(keyStore);
		SSLContext context = SSLContext.getInstance("TLS");
		context.init(null, trustManagers.getTrustManagers(), null);
		return context;
	}

	private static Path create() {
		try {
			Path keyStore = Files.createTempDirectory("acme-tls").resolve("server.p12");
			Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
			Process process = new ProcessBuilder(keytool.toString(), "-genkeypair", "-alias", "server", "-keyalg",
					"EC", "-groupname", "secp256r1", "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1",
					"-validity", "2", "-storetype", "PKCS12", "-keystore", keyStore.toString(), "-storepass", PASSWORD)
				.redirectErrorStream(true)
				.start();
			String output = new String(process.getInputStream().readAllBytes());
			if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
				throw new IllegalStateException("keytool failed to create " + keyStore + ": " + output);
			}
			return keyStore;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

}
