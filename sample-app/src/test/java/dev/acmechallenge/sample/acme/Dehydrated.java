package dev.acmechallenge.sample.acme;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs dehydrated against a {@link Pebble} instance with a configuration file of its own, so that
 * runs never touch {@code /etc/dehydrated} or {@code /var/lib/dehydrated}. Token files go to the
 * directory set as {@code WELLKNOWN}, which contains the token files themselves (no
 * {@code .well-known/acme-challenge} below it). Each run writes dehydrated's output to a numbered
 * file in the test's directory.
 * <pre>{@code
 * Dehydrated dehydrated = new Dehydrated(pebble, temporaryDirectory, challengeDirectory);
 * Dehydrated.Result result = dehydrated.certificate("app.test");
 * }</pre>
 */
public final class Dehydrated {

	private static final Duration RUN_TIMEOUT = Duration.ofMinutes(2);

	private final Path executable;

	private final Pebble pebble;

	private final Path directory;

	private final Path config;

	private final AtomicInteger runs = new AtomicInteger();

	/**
	 * Creates a runner for dehydrated that requests certificates from the given Pebble.
	 * @param pebble the CA to request certificates from
	 * @param directory an existing directory for dehydrated's {@code BASEDIR}, its configuration
	 * file and its output
	 * @param wellKnown the directory that dehydrated writes token files into, its
	 * {@code WELLKNOWN} setting
	 * @throws IOException if the configuration file cannot be written
	 */
	public Dehydrated(Pebble pebble, Path directory, Path wellKnown) throws IOException {
		this.executable = ExternalProcesses.requireExecutable("dehydrated", "dehydrated");
		this.pebble = pebble;
		this.directory = directory;
		this.config = directory.resolve("config");
		Files.createDirectories(directory.resolve("base"));
		Files.writeString(this.config, """
				CA="%s"
				BASEDIR="%s"
				WELLKNOWN="%s"
				""".formatted(pebble.directoryUrl(), directory.resolve("base"), wellKnown), StandardCharsets.UTF_8);
	}

	/**
	 * Registers an account ({@code --register --accept-terms}) and then requests a certificate
	 * ({@code --cron --domain <domain>}).
	 * @param domain the domain to request a certificate for
	 * @return the exit code and output of the last command that ran, and the certificate path
	 * @throws IOException if dehydrated cannot be started
	 */
	public Result certificate(String domain) throws IOException {
		Result registration = run(List.of("--register", "--accept-terms"), domain);
		if (registration.exitCode() != 0) {
			return registration;
		}
		return run(List.of("--cron", "--domain", domain), domain);
	}

	/**
	 * Returns the path of the certificate that dehydrated keeps for a domain,
	 * {@code <BASEDIR>/certs/<domain>/cert.pem}, which exists after a successful run.
	 */
	public Path certificatePath(String domain) {
		return this.directory.resolve("base").resolve("certs").resolve(domain).resolve("cert.pem");
	}

	private Result run(List<String> arguments, String domain) throws IOException {
		List<String> command = new ArrayList<>(List.of(this.executable.toString(), "--config",
				this.config.toString()));
		command.addAll(arguments);
		Path output = this.directory.resolve("dehydrated-" + this.runs.incrementAndGet() + ".log");
		ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
			.redirectOutput(output.toFile());
		builder.environment().put("CURL_CA_BUNDLE", this.pebble.tlsCertificate().toString());
		Process process = builder.start();
		int exitCode = ExternalProcesses.awaitExit(process, "dehydrated", RUN_TIMEOUT, output);
		return new Result(exitCode, String.join(" ", command) + "\n" + ExternalProcesses.readOutput(output),
				certificatePath(domain));
	}

	/**
	 * Result of one dehydrated run.
	 * @param exitCode dehydrated's exit code, {@code 0} on success
	 * @param output the command line followed by dehydrated's standard output and error
	 * @param certificate the path of {@code certs/<domain>/cert.pem}, whether or not it exists
	 */
	public record Result(int exitCode, String output, Path certificate) {

	}

}
