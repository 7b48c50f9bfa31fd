package dev.acmechallenge.sample.hostile;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.acmechallenge.sample.SampleApplication;

/**
 * The sample application in a child JVM with the test class path, for cases that need another
 * process: dropped privileges or another locale. Its output goes to a log file that tests read.
 */
final class ChildApplication implements AutoCloseable {

	private static final Duration DEADLINE = Duration.ofSeconds(90);

	private static final Pattern STARTED = Pattern.compile("Tomcat started on port (\\d+)");

	private final Process process;

	private final Path log;

	private ChildApplication(Process process, Path log) {
		this.process = process;
		this.log = log;
	}

	/**
	 * Starts the application.
	 * @param launcher command words put before the {@code java} command, such as {@code setpriv}
	 * and its options
	 * @param environment variables added to this process's environment, or removed where the
	 * value is {@code null}
	 * @param arguments application arguments such as {@code --acme.webroot=/srv/www}
	 * @param log file that receives the application's output
	 */
	static ChildApplication start(List<String> launcher, Map<String, String> environment, List<String> arguments,
			Path log) throws IOException {
		List<String> command = new ArrayList<>(launcher);
		String java = ProcessHandle.current().info().command().orElse(System.getProperty("java.home") + "/bin/java");
		command.addAll(List.of(java, "-cp", System.getProperty("java.class.path"), SampleApplication.class.getName(),
				"--server.port=0", "--server.address=127.0.0.1", "--spring.main.banner-mode=off"));
		command.addAll(arguments);
		ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
		environment.forEach((name, value) -> {
			if (value != null) {
				builder.environment().put(name, value);
			}
			else {
				builder.environment().remove(name);
			}
		});
		return new ChildApplication(builder.start(), log);
	}

	/**
	 * Polls the log until Tomcat reports its port, and fails if the application exits first or the
	 * deadline passes.
	 */
	int awaitPort() throws IOException, InterruptedException {
		long deadline = System.nanoTime() + DEADLINE.toNanos();
		while (System.nanoTime() - deadline < 0) {
			Matcher matcher = STARTED.matcher(output());
			if (matcher.find()) {
				return Integer.parseInt(matcher.group(1));
			}
			if (this.process.waitFor(100, TimeUnit.MILLISECONDS)) {
				throw new AssertionError("Application exited with " + this.process.exitValue() + ":\n" + output());
			}
		}
		throw new AssertionError("Application did not start within " + DEADLINE + ":\n" + output());
	}

	/**
	 * Waits for the application to exit and returns its exit code, failing if it is still running
	 * at the deadline.
	 */
	int awaitExit() throws IOException, InterruptedException {
		if (!this.process.waitFor(DEADLINE.toSeconds(), TimeUnit.SECONDS)) {
			throw new AssertionError("Application still running after " + DEADLINE + ":\n" + output());
		}
		return this.process.exitValue();
	}

	String output() throws IOException {
		return Files.readString(this.log);
	}

	@Override
	public void close() throws InterruptedException {
		this.process.destroy();
		if (!this.process.waitFor(30, TimeUnit.SECONDS)) {
			this.process.destroyForcibly();
			this.process.waitFor(10, TimeUnit.SECONDS);
		}
	}

}
