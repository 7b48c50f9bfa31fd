package dev.acmechallenge.sample.acme;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs lego against a {@link Pebble} instance in HTTP-01 webroot mode, with its account and
 * certificate files inside a directory of the test's own. Each run writes lego's output to a
 * numbered file in that directory.
 * <pre>{@code
 * Lego lego = new Lego(pebble, temporaryDirectory);
 * Lego.Result result = lego.webroot(webroot, "app.test");
 * }</pre>
 */
public final class Lego {

	private static final Duration RUN_TIMEOUT = Duration.ofMinutes(2);

	private final Path executable;

	private final Pebble pebble;

	private final Path directory;

	private final AtomicInteger runs = new AtomicInteger();

	/**
	 * Creates a runner for lego that requests certificates from the given Pebble.
	 * @param pebble the CA to request certificates from
	 * @param directory an existing directory for lego's {@code --path} and its output
	 */
	public Lego(Pebble pebble, Path directory) {
		this.executable = ExternalProcesses.requireExecutable("lego", "lego");
		this.pebble = pebble;
		this.directory = directory;
	}

	/**
	 * Runs {@code lego --http --http.webroot <webroot> --domains <domain> run}: lego writes each
	 * token file to {@code <webroot>/.well-known/acme-challenge/} and deletes it after validation.
	 * @param webroot the web root that the application serves challenges from
	 * @param domain the domain to request a certificate for
	 * @return the exit code, output and certificate path of the run
	 * @throws IOException if lego cannot be started
	 */
	public Result webroot(Path webroot, String domain) throws IOException {
		List<String> command = new ArrayList<>(List.of(this.executable.toString(), "--server",
				this.pebble.directoryUrl().toString(), "--email", "acme-test@example.com", "--accept-tos",
				"--domains", domain, "--http", "--http.webroot", webroot.toString(), "--path",
				this.directory.resolve("lego").toString(), "run"));
		Path output = this.directory.resolve("lego-" + this.runs.incrementAndGet() + ".log");
		ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
			.redirectOutput(output.toFile());
		builder.environment().put("LEGO_CA_CERTIFICATES", this.pebble.tlsCertificate().toString());
		Process process = builder.start();
		int exitCode = ExternalProcesses.awaitExit(process, "lego", RUN_TIMEOUT, output);
		return new Result(exitCode, String.join(" ", command) + "\n" + ExternalProcesses.readOutput(output),
				certificate(domain));
	}

	/**
	 * Returns the path of the certificate that lego keeps for a domain,
	 * {@code <path>/certificates/<domain>.crt}, which exists after a successful run.
	 */
	public Path certificate(String domain) {
		return this.directory.resolve("lego").resolve("certificates").resolve(domain + ".crt");
	}

	/**
	 * Result of one lego run.
	 * @param exitCode lego's exit code, {@code 0} on success
	 * @param output the command line followed by lego's standard output and error
	 * @param certificate the path of {@code certificates/<domain>.crt}, whether or not it exists
	 */
	public record Result(int exitCode, String output, Path certificate) {

	}

}
