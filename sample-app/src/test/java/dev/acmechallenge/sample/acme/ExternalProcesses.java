package dev.acmechallenge.sample.acme;

import java.io.Closeable;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.fail;

/**
 * Helpers for the command-line tools that the ACME tests start: locating them, picking free
 * loopback ports, reading their output and stopping them by PID.
 */
final class ExternalProcesses {

	static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

	private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);

	private ExternalProcesses() {
	}

	/**
	 * Returns the path of an executable found on the {@code PATH}, or fails the test with the
	 * command that installs it.
	 * @param name the executable's name
	 * @param debianPackage the Debian package that contains it
	 * @return the executable's path
	 */
	static Path requireExecutable(String name, String debianPackage) {
		String searchPath = System.getenv().getOrDefault("PATH", "");
		for (String directory : searchPath.split(File.pathSeparator)) {
			if (directory.isEmpty()) {
				continue;
			}
			Path candidate = Path.of(directory, name);
			if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
				return candidate;
			}
		}
		return fail("'%s' was not found on the PATH (%s). Install it with 'apt-get install -y %s' "
				+ "or run 'bash scripts/test.sh' as root, which installs it.", name, searchPath, debianPackage);
	}

	/**
	 * Returns distinct ports on 127.0.0.1 that are free for both TCP and UDP at the time of the
	 * call. Another process may still take one before the caller binds it.
	 * @param count the number of ports
	 * @return the ports
	 */
	static int[] freePorts(int count) {
		List<Closeable> held = new ArrayList<>();
		try {
			int[] ports = new int[count];
			for (int i = 0; i < count; i++) {
				ports[i] = holdFreePort(held);
			}
			return ports;
		}
		finally {
			held.forEach(ExternalProcesses::closeQuietly);
		}
	}

	/**
	 * Binds a free TCP port and the same UDP port, and adds both sockets to {@code held} so that
	 * the next call cannot return the same port.
	 */
	private static int holdFreePort(List<Closeable> held) {
		for (int attempt = 0; attempt < 20; attempt++) {
			ServerSocket tcp;
			try {
				tcp = new ServerSocket(0, 1, LOOPBACK);
			}
			catch (IOException ex) {
				throw new UncheckedIOException("Failed to find a free port on 127.0.0.1", ex);
			}
			held.add(tcp);
			try {
				held.add(new DatagramSocket(new InetSocketAddress(LOOPBACK, tcp.getLocalPort())));
				return tcp.getLocalPort();
			}
			catch (IOException ex) {
				// The UDP port is in use, so keep the TCP socket open and try another port.
			}
		}
		throw new IllegalStateException("No port on 127.0.0.1 was free for both TCP and UDP after 20 attempts");
	}

	private static void closeQuietly(Closeable socket) {
		try {
			socket.close();
		}
		catch (IOException ex) {
			// Closing a socket that was only bound cannot lose data.
		}
	}

	/**
	 * Returns the content of a process output file, or a message that says why it could not be read.
	 */
	static String readOutput(Path file) {
		try {
			return Files.readString(file, StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			return "(failed to read " + file + ": " + ex + ")";
		}
	}

	/**
	 * Waits for a process to exit and returns its exit code, stopping it and failing with its
	 * output if it runs longer than the timeout.
	 */
	static int awaitExit(Process process, String name, Duration timeout, Path output) {
		try {
			if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
				stop(process);
				throw new IllegalStateException(
						name + " did not finish within " + timeout.toSeconds() + " s:\n" + readOutput(output));
			}
			return process.exitValue();
		}
		catch (InterruptedException ex) {
			stop(process);
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while waiting for " + name, ex);
		}
	}

	/**
	 * Stops a process by its PID: SIGTERM first, then SIGKILL if it has not exited within ten
	 * seconds.
	 */
	static void stop(Process process) {
		if (process == null || !process.isAlive()) {
			return;
		}
		process.destroy();
		try {
			if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
				process.destroyForcibly().waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
			}
		}
		catch (InterruptedException ex) {
			process.destroyForcibly();
			Thread.currentThread().interrupt();
		}
	}

}
