package dev.acmechallenge.autoconfigure;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.event.SmartApplicationListener;
import org.springframework.http.HttpHeaders;

/**
 * Startup check that a token written into the challenge store is served through the running web
 * server. The ports are taken when the web server has started. Once the application is ready, a
 * background thread writes a probe token, fetches it over HTTP on every plain-HTTP port of the
 * server, and deletes it again. Success is logged at INFO and a failure at WARN with its cause.
 * The check starts after startup has completed and runs on its own thread, so it never fails or
 * delays startup.
 * <p>
 * Only stores that can be written take part: a {@link ChallengeProbeWriter} or a
 * {@link WebrootChallengeStore}. Other stores are skipped with a DEBUG line.
 * <p>
 * Probe requests pass through the challenge filter like any other, so every
 * {@link ChallengeRequestListener} sees them as served challenges. They carry the User-Agent
 * {@value #USER_AGENT}, and {@link #isProbeToken(String)} identifies their token. The metrics and
 * the health indicator of this starter leave them out.
 */
public class ChallengeSelfCheck implements SmartApplicationListener, DisposableBean {

	/**
	 * User-Agent of the probe requests, which identifies them in request logs.
	 */
	public static final String USER_AGENT = "acme-challenge-self-check";

	private static final Log logger = LogFactory.getLog(ChallengeSelfCheck.class);

	/**
	 * Random bytes in a probe token: 256 bits, which is 43 characters of unpadded base64url.
	 */
	private static final int TOKEN_BYTES = 32;

	/**
	 * Number of bytes of a response body that are read and compared with the probe.
	 */
	private static final int MAX_BODY_BYTES = 1024;

	private static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(2);

	private static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(5);

	private final ChallengeStore store;

	private final Duration connectTimeout;

	private final Duration readTimeout;

	private final Clock clock;

	private final SecureRandom random = new SecureRandom();

	private volatile Result lastResult;

	/**
	 * Every probe token used so far. Tokens stay in the set after their check, because the filter
	 * notifies listeners only after the probe response has been sent, possibly after the check has
	 * completed. There is one token per started web server.
	 */
	private final Set<String> probeTokens = ConcurrentHashMap.newKeySet();

	private volatile boolean destroyed;

	/**
	 * Check prepared when the web server started, run once the application is ready so that it
	 * does not compete with the rest of startup for the CPU.
	 */
	private volatile Runnable preparedCheck;

	/**
	 * Writer and token of a probe that may be on disk, so that stopping the application during a
	 * check still deletes it.
	 */
	private volatile PendingProbe pendingProbe;

	/**
	 * Creates a self-check for the given store.
	 * @param store the store that the challenge filter serves from
	 */
	public ChallengeSelfCheck(ChallengeStore store) {
		this(store, DEFAULT_CONNECT_TIMEOUT, DEFAULT_READ_TIMEOUT, Clock.systemUTC());
	}

	ChallengeSelfCheck(ChallengeStore store, Duration connectTimeout, Duration readTimeout, Clock clock) {
		this.store = store;
		this.connectTimeout = connectTimeout;
		this.readTimeout = readTimeout;
		this.clock = clock;
	}

	/**
	 * Returns the result of the last completed check.
	 * @return the result, or {@code null} while no check has completed
	 */
	public Result getLastResult() {
		return this.lastResult;
	}

	/**
	 * Returns whether a token is one that this self-check has probed with.
	 * @param token a token, may be {@code null}
	 * @return {@code true} for a probe token
	 */
	public boolean isProbeToken(String token) {
		return token != null && this.probeTokens.contains(token);
	}

	@Override
	public boolean supportsEventType(Class<? extends ApplicationEvent> eventType) {
		return WebServerInitializedEvent.class.isAssignableFrom(eventType)
				|| ApplicationReadyEvent.class.isAssignableFrom(eventType);
	}

	@Override
	public void onApplicationEvent(ApplicationEvent event) {
		if (event instanceof WebServerInitializedEvent initialized) {
			prepare(initialized);
		}
		else if (event instanceof ApplicationReadyEvent) {
			Runnable check = this.preparedCheck;
			this.preparedCheck = null;
			if (check != null) {
				Thread thread = new Thread(check, "acme-self-check");
				thread.setDaemon(true);
				thread.start();
			}
		}
	}

	private void prepare(WebServerInitializedEvent event) {
		if (event.getApplicationContext().getServerNamespace() != null) {
			// A separate server, such as the actuator's management server, serves no challenges.
			return;
		}
		ChallengeProbeWriter writer = probeWriter(this.store);
		if (writer == null) {
			logger.debug("Skipping the ACME self-check: the challenge store " + this.store
					+ " does not support writing probe tokens");
			complete(Status.NOT_RUN, "store does not support probe tokens");
			return;
		}
		List<InetSocketAddress> ports = ChallengePorts.plainHttp(event.getWebServer());
		this.preparedCheck = () -> runSafely(writer, ports);
	}

	@Override
	public void destroy() {
		this.destroyed = true;
		PendingProbe probe = this.pendingProbe;
		if (probe != null) {
			deleteProbe(probe.writer(), probe.token());
		}
	}

	private void runSafely(ChallengeProbeWriter writer, List<InetSocketAddress> addresses) {
		try {
			run(writer, addresses);
		}
		catch (RuntimeException ex) {
			logger.warn("ACME self-check failed with an unexpected error", ex);
			complete(Status.FAILED, "unexpected error: " + ex);
		}
	}

	/**
	 * Runs the check: writes a probe token, fetches it from each address and deletes it.
	 * @param writer where to write the probe token
	 * @param addresses the plain-HTTP addresses of the server
	 * @return the result, also available from {@link #getLastResult()}
	 */
	Result run(ChallengeProbeWriter writer, List<InetSocketAddress> addresses) {
		if (addresses.isEmpty()) {
			logger.warn("ACME self-check found no plain-HTTP port on this server, but ACME validators request "
					+ "challenges over plain HTTP: set acme.http-port, or make sure a proxy forwards port 80 here");
			return complete(Status.NOT_RUN, "no plain-HTTP port");
		}
		String token = randomToken();
		String keyAuthorization = token + "." + randomToken();
		this.probeTokens.add(token);
		this.pendingProbe = new PendingProbe(writer, token);
		try {
			writer.write(token, keyAuthorization);
		}
		catch (NoSuchFileException ex) {
			this.pendingProbe = null;
			logger.warn("ACME self-check skipped: the " + writer.location() + " does not exist yet. The ACME "
					+ "client creates it on its first run; challenges are served from it from then on");
			return complete(Status.NOT_RUN, "directory does not exist yet");
		}
		catch (IOException | SecurityException ex) {
			// A write that failed part way, such as on a full disk, can leave an empty file behind.
			deleteProbe(writer, token);
			logger.warn("ACME self-check could not write a probe token: the " + writer.location()
					+ " is not writable by this process (" + reason(ex) + "). Challenges are still served "
					+ "from it, as long as the ACME client can write there");
			return complete(Status.NOT_RUN, "not writable: " + reason(ex));
		}
		List<String> failures = new ArrayList<>();
		try {
			for (InetSocketAddress address : addresses) {
				String failure = fetch(address, token, keyAuthorization);
				if (failure != null) {
					failures.add("port " + address.getPort() + ": " + failure);
				}
			}
		}
		finally {
			deleteProbe(writer, token);
		}
		return report(writer, addresses, failures);
	}

	private Result report(ChallengeProbeWriter writer, List<InetSocketAddress> addresses, List<String> failures) {
		if (this.destroyed) {
			return complete(Status.NOT_RUN, "application stopped during the check");
		}
		if (failures.isEmpty()) {
			String ports = addresses.stream()
				.map((address) -> String.valueOf(address.getPort()))
				.collect(Collectors.joining(", "));
			logger.info("ACME self-check passed: a probe token written to the " + writer.location()
					+ " was served on port " + ports);
			return complete(Status.PASSED, "served on port " + ports);
		}
		for (String failure : failures) {
			logger.warn("ACME self-check failed on " + failure + ". An ACME validator reaching this port "
					+ "gets the same answer, so validation will fail");
		}
		return complete(Status.FAILED, String.join("; ", failures));
	}

	/**
	 * Fetches the probe token from one address without following redirects.
	 * @return {@code null} if the key authorization was served, otherwise the cause in plain words
	 */
	String fetch(InetSocketAddress address, String token, String keyAuthorization) {
		String target = address.getAddress().getHostAddress() + ":" + address.getPort();
		HttpURLConnection connection;
		try {
			URI uri = new URI("http", null, address.getAddress().getHostAddress(), address.getPort(),
					AcmeChallengeFilter.CHALLENGE_PATH + "/" + token, null, null);
			connection = (HttpURLConnection) uri.toURL().openConnection(Proxy.NO_PROXY);
		}
		catch (IOException | URISyntaxException ex) {
			return "could not open a connection to [" + target + "]: " + ex;
		}
		try {
			connection.setInstanceFollowRedirects(false);
			connection.setConnectTimeout((int) this.connectTimeout.toMillis());
			connection.setReadTimeout((int) this.readTimeout.toMillis());
			connection.setRequestProperty(HttpHeaders.USER_AGENT, USER_AGENT);
			return describeResponse(connection, token, keyAuthorization);
		}
		catch (ConnectException ex) {
			return "could not connect to [" + target + "]: " + ex.getMessage();
		}
		catch (SocketTimeoutException ex) {
			return "no answer from [" + target + "] within the timeout (" + ex.getMessage() + ")";
		}
		catch (IOException ex) {
			return "the request to [" + target + "] failed: " + ex;
		}
		finally {
			connection.disconnect();
		}
	}

	private static String describeResponse(HttpURLConnection connection, String token, String keyAuthorization)
			throws IOException {
		int status = connection.getResponseCode();
		if (status >= 300 && status < 400) {
			// The token is replaced so that the rest of a long location fits the escaped length.
			String location = connection.getHeaderField(HttpHeaders.LOCATION);
			String shortLocation = (location != null) ? location.replace(token, "<probe token>") : null;
			return "the request was redirected (status " + status + ") to ["
					+ ChallengeToken.escapeForLog(shortLocation) + "]";
		}
		String body = readBodyStart(connection, status);
		if (status == 200 && body.strip().equals(keyAuthorization)) {
			return null;
		}
		return "the request was answered by something else (status " + status + ", body starting with ["
				+ ChallengeToken.escapeForLog(body) + "])";
	}

	private static String readBodyStart(HttpURLConnection connection, int status) throws IOException {
		try (InputStream body = (status >= 400) ? connection.getErrorStream() : connection.getInputStream()) {
			if (body == null) {
				return "";
			}
			return new String(body.readNBytes(MAX_BODY_BYTES), StandardCharsets.UTF_8);
		}
	}

	private void deleteProbe(ChallengeProbeWriter writer, String token) {
		this.pendingProbe = null;
		try {
			writer.delete(token);
		}
		catch (IOException | SecurityException ex) {
			logger.warn("ACME self-check could not delete its probe token [" + token + "] from the "
					+ writer.location() + ": " + reason(ex));
		}
	}

	private Result complete(Status status, String message) {
		Result result = new Result(status, message, this.clock.instant());
		this.lastResult = result;
		return result;
	}

	private String randomToken() {
		byte[] bytes = new byte[TOKEN_BYTES];
		this.random.nextBytes(bytes);
		return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
	}

	private static ChallengeProbeWriter probeWriter(ChallengeStore store) {
		if (store instanceof ChallengeProbeWriter writer) {
			return writer;
		}
		if (store instanceof WebrootChallengeStore webroot) {
			return new WebrootProbeWriter(webroot.getChallengeDirectory());
		}
		return null;
	}

	private static String reason(Exception ex) {
		if (ex instanceof AccessDeniedException accessDenied) {
			return "permission denied: " + accessDenied.getFile();
		}
		if (ex instanceof FileSystemException fileSystemException && fileSystemException.getReason() != null) {
			return fileSystemException.getReason() + ": " + fileSystemException.getFile();
		}
		return ex.toString();
	}

	/**
	 * Outcome of a self-check.
	 */
	public enum Status {

		/**
		 * The probe token was served on every plain-HTTP port.
		 */
		PASSED,

		/**
		 * At least one port did not serve the probe token.
		 */
		FAILED,

		/**
		 * The check could not run, for example because the store is not writable by this process.
		 */
		NOT_RUN

	}

	/**
	 * Result of a self-check.
	 * @param status the outcome
	 * @param message what was found, in plain words
	 * @param time when the check completed
	 */
	public record Result(Status status, String message, Instant time) {

	}

	private record PendingProbe(ChallengeProbeWriter writer, String token) {

	}

}
