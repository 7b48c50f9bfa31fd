package dev.acmechallenge.sample.hostile;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.acmechallenge.sample.SampleApplication;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A token file that the application's process cannot read.
 * <p>
 * The tests run as root, and root reads a file whatever its mode. So when the tests run as root,
 * the application runs in a child JVM started through {@code setpriv} with
 * {@code CAP_DAC_OVERRIDE} and {@code CAP_DAC_READ_SEARCH} removed from its capability bounding
 * set. The child keeps user id 0, so it still reads the root-owned class path, but file modes
 * now apply to it as to any other user, and a file with mode {@code 000} cannot be opened. As
 * another user the child runs without {@code setpriv}, and the mode alone makes the file
 * unreadable.
 */
class UnreadableFileTests {

	private static final String TOKEN = "Unreadable_Token_0123456789";

	private static final Duration STARTUP_DEADLINE = Duration.ofSeconds(90);

	private static final Pattern STARTED = Pattern.compile("Tomcat started on port (\\d+)");

	@TempDir
	Path temp;

	@Test
	void unreadableFile() throws Exception {
		HostileWebroot webroot = HostileWebroot.create(this.temp.resolve("base"));
		Path file = webroot.challengeDirectory().resolve(TOKEN);
		Files.writeString(file, HostileWebroot.keyAuthorizationFor(TOKEN));
		Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("---------"));
		Path log = this.temp.resolve("child.log");
		Process child = startChild(webroot, log);
		try {
			RawHttp http = new RawHttp(awaitPort(child, log));
			RawHttp.Response response = http.get("/.well-known/acme-challenge/" + TOKEN);
			assertThat(response.status()).isEqualTo(404);
			assertThat(response.contains(HostileWebroot.keyAuthorizationFor(TOKEN))).isFalse();
			assertThat(Files.readString(log)).contains("Failed to read ACME challenge file [" + file
					+ "]: java.nio.file.AccessDeniedException");
			RawHttp.Response control = http.get("/.well-known/acme-challenge/" + HostileWebroot.CONTROL_TOKEN);
			assertThat(control.status()).isEqualTo(200);
			assertThat(control.bodyText())
				.isEqualTo(HostileWebroot.keyAuthorizationFor(HostileWebroot.CONTROL_TOKEN));
			assertThat(http.get("/about").status()).isEqualTo(200);
		}
		finally {
			stop(child);
		}
	}

	private static Process startChild(HostileWebroot webroot, Path log) throws IOException {
		List<String> command = new ArrayList<>();
		if ("root".equals(System.getProperty("user.name"))) {
			command.addAll(List.of("setpriv", "--bounding-set=-dac_override,-dac_read_search"));
		}
		String java = ProcessHandle.current().info().command().orElse(System.getProperty("java.home") + "/bin/java");
		command.addAll(List.of(java, "-cp", System.getProperty("java.class.path"), SampleApplication.class.getName(),
				"--server.port=0", "--server.address=127.0.0.1", "--spring.main.banner-mode=off",
				"--acme.webroot=" + webroot.webroot()));
		return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
	}

	/**
	 * Polls the child's log until Tomcat reports its port, the child exits, or the deadline
	 * passes.
	 */
	private static int awaitPort(Process child, Path log) throws IOException, InterruptedException {
		long deadline = System.nanoTime() + STARTUP_DEADLINE.toNanos();
		while (System.nanoTime() - deadline < 0) {
			Matcher matcher = STARTED.matcher(Files.readString(log));
			if (matcher.find()) {
				return Integer.parseInt(matcher.group(1));
			}
			if (child.waitFor(100, TimeUnit.MILLISECONDS)) {
				throw new AssertionError("Application exited with " + child.exitValue() + ":\n" + Files.readString(log));
			}
		}
		throw new AssertionError("Application did not start within " + STARTUP_DEADLINE + ":\n" + Files.readString(log));
	}

	private static void stop(Process child) throws InterruptedException {
		child.destroy();
		if (!child.waitFor(30, TimeUnit.SECONDS)) {
			child.destroyForcibly();
			child.waitFor(10, TimeUnit.SECONDS);
		}
	}

}
