package dev.acmechallenge.sample.acme;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs {@code certbot certonly} against a {@link Pebble} instance, with its configuration, work
 * and log directories inside a directory of the test's own, so that runs never touch
 * {@code /etc/letsencrypt}. Each run registers an account without an email address if needed and
 * writes certbot's output to a numbered file in that directory.
 * <pre>{@code
 * Certbot certbot = new Certbot(pebble, temporaryDirectory);
 * Certbot.Result result = certbot.webroot(webroot, "app.test");
 * Certbot.Result renewal = certbot.webroot(webroot, "app.test", Certbot.FORCE_RENEWAL);
 * }</pre>
 */
public final class Certbot {

	/**
	 * Option that makes certbot request a new certificate even when the current one is not due
	 * for renewal.
	 */
	public static final String FORCE_RENEWAL = "--force-renewal";

	private static final Duration RUN_TIMEOUT = Duration.ofMinutes(2);

	private final Path executable;

	private final Pebble pebble;

	private final Path directory;

	private final AtomicInteger runs = new AtomicInteger();

	/**
	 * Creates a runner for certbot that requests certificates from the given Pebble.
	 * @param pebble the CA to request certificates from
	 * @param directory an existing directory for certbot's configuration (which contains
	 * {@code live/<domain>/}), work and log directories and its output
	 */
	public Certbot(Pebble pebble, Path directory) {
		this.executable = ExternalProcesses.requireExecutable("certbot", "certbot");
		this.pebble = pebble;
		this.directory = directory;
	}

	/**
	 * Runs {@code certbot certonly --webroot -w <webroot> -d <domain>}: certbot writes each token
	 * file to {@code <webroot>/.well-known/acme-challenge/} and deletes it after validation.
	 * @param webroot the web root that the application serves challenges from
	 * @param domain the domain to request a certificate for
	 * @param options further certbot options, such as {@link #FORCE_RENEWAL}
	 * @return the exit code, output and certificate path of the run
	 * @throws IOException if certbot cannot be started
	 */
	public Result webroot(Path webroot, String domain, String... options) throws IOException {
		return certonly(domain, List.of("--webroot", "-w", webroot.toString()), options);
	}

	/**
	 * Runs {@code certbot certonly --manual --preferred-challenges http} with hooks, which certbot
	 * runs through a shell with the token in {@code CERTBOT_TOKEN} and the key authorization in
	 * {@code CERTBOT_VALIDATION}.
	 * @param authHook shell command that publishes the challenge
	 * @param cleanupHook shell command that removes it again, or {@code null} for none
	 * @param domain the domain to request a certificate for
	 * @param options further certbot options, such as {@link #FORCE_RENEWAL}
	 * @return the exit code, output and certificate path of the run
	 * @throws IOException if certbot cannot be started
	 */
	public Result manual(String authHook, String cleanupHook, String domain, String... options) throws IOException {
		List<String> authenticator = new ArrayList<>(
				List.of("--manual", "--preferred-challenges", "http", "--manual-auth-hook", authHook));
		if (cleanupHook != null) {
			authenticator.addAll(List.of("--manual-cleanup-hook", cleanupHook));
		}
		return certonly(domain, authenticator, options);
	}

	/**
	 * Returns the path of the certificate that certbot keeps for a domain,
	 * {@code <config-dir>/live/<domain>/cert.pem}, which exists after a successful run.
	 */
	public Path certificate(String domain) {
		return configDirectory().resolve("live").resolve(domain).resolve("cert.pem");
	}

	private Result certonly(String domain, List<String> authenticator, String... options) throws IOException {
		List<String> command = new ArrayList<>(List.of(this.executable.toString(), "certonly"));
		command.addAll(authenticator);
		command.addAll(List.of("-d", domain, "--server", this.pebble.directoryUrl().toString(), "--config-dir",
				configDirectory().toString(), "--work-dir", this.directory.resolve("work").toString(), "--logs-dir",
				this.directory.resolve("logs").toString(), "--agree-tos", "--register-unsafely-without-email",
				"--non-interactive"));
		command.addAll(Arrays.asList(options));
		Path output = this.directory.resolve("certbot-" + this.runs.incrementAndGet() + ".log");
		ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
			.redirectOutput(output.toFile());
		builder.environment().put("REQUESTS_CA_BUNDLE", this.pebble.tlsCertificate().toString());
		Process process = builder.start();
		int exitCode = ExternalProcesses.awaitExit(process, "certbot", RUN_TIMEOUT, output);
		return new Result(exitCode, String.join(" ", command) + "\n" + ExternalProcesses.readOutput(output),
				certificate(domain));
	}

	private Path configDirectory() {
		return this.directory.resolve("config");
	}

	/**
	 * Result of one certbot run.
	 * @param exitCode certbot's exit code, {@code 0} on success
	 * @param output the command line followed by certbot's standard output and error
	 * @param certificate the path of {@code live/<domain>/cert.pem}, whether or not it exists
	 */
	public record Result(int exitCode, String output, Path certificate) {

		/**
		 * Returns whether certbot exited with code {@code 0} and the certificate file exists.
		 */
		public boolean succeeded() {
			return this.exitCode == 0 && Files.isRegularFile(this.certificate);
		}

	}

}
