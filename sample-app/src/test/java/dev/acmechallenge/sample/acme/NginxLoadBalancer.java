package dev.acmechallenge.sample.acme;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * nginx started for one test as a round-robin HTTP load balancer on 127.0.0.1 in front of
 * several application instances, with its configuration, logs and temporary files in a directory
 * of the test's own.
 * <p>
 * nginx runs one worker process, so requests go to the instances strictly in turn, and a failed
 * request is not retried on another instance. The master process runs in the foreground and is
 * stopped by its PID. The access log records which instance served each request.
 */
final class NginxLoadBalancer implements AutoCloseable {

	private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(30);

	private final Path directory;

	private final int port;

	private Process process;

	private NginxLoadBalancer(Path directory, int port) {
		this.directory = directory;
		this.port = port;
	}

	/**
	 * Starts nginx and waits until it accepts connections.
	 * @param directory an existing directory for nginx's files; it is made readable by all users,
	 * because nginx's worker processes run unprivileged
	 * @param upstreamPorts the ports on 127.0.0.1 of the instances to balance between
	 * @return the running load balancer, to be closed by the caller
	 * @throws IOException if a file cannot be written or nginx cannot be started
	 */
	static NginxLoadBalancer start(Path directory, int... upstreamPorts) throws IOException {
		Path executable = ExternalProcesses.requireExecutable("nginx", "nginx-light");
		Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwxr-xr-x"));
		NginxLoadBalancer nginx = new NginxLoadBalancer(directory, ExternalProcesses.freePorts(1)[0]);
		try {
			nginx.startProcess(executable, upstreamPorts);
			return nginx;
		}
		catch (IOException | RuntimeException | Error ex) {
			nginx.close();
			throw ex;
		}
	}

	/**
	 * Returns the port on 127.0.0.1 that nginx listens on.
	 */
	int port() {
		return this.port;
	}

	/**
	 * Returns nginx's output, error log and access log so far, for failure messages.
	 */
	String output() {
		return "--- nginx output ---\n" + ExternalProcesses.readOutput(this.directory.resolve("nginx.out"))
				+ "--- nginx error log ---\n" + ExternalProcesses.readOutput(this.directory.resolve("error.log"))
				+ "--- nginx access log ---\n" + ExternalProcesses.readOutput(this.directory.resolve("access.log"));
	}

	/**
	 * Stops nginx by the PID of its master process.
	 */
	@Override
	public void close() {
		ExternalProcesses.stop(this.process);
	}

	private void startProcess(Path executable, int... upstreamPorts) throws IOException {
		Path config = this.directory.resolve("nginx.conf");
		Files.writeString(config, configuration(upstreamPorts), StandardCharsets.UTF_8);
		this.process = new ProcessBuilder(executable.toString(), "-p", this.directory.toString(), "-c",
				config.toString(), "-e", this.directory.resolve("error.log").toString())
			.redirectErrorStream(true)
			.redirectOutput(this.directory.resolve("nginx.out").toFile())
			.start();
		awaitListening();
	}

	private String configuration(int... upstreamPorts) {
		String servers = IntStream.of(upstreamPorts)
			.mapToObj((upstreamPort) -> "\t\tserver 127.0.0.1:" + upstreamPort + ";")
			.collect(Collectors.joining("\n"));
		return """
				daemon off;
				master_process on;
				worker_processes 1;
				pid %1$s/nginx.pid;
				error_log %1$s/error.log info;
				events {
					worker_connections 64;
				}
				http {
					log_format upstream '$remote_addr "$request" $status upstream=$upstream_addr';
					access_log %1$s/access.log upstream;
					client_body_temp_path %1$s/client-body;
					proxy_temp_path %1$s/proxy;
					upstream replicas {
				%2$s
					}
					server {
						listen 127.0.0.1:%3$d;
						location / {
							proxy_pass http://replicas;
							proxy_set_header Host $http_host;
							proxy_next_upstream off;
							proxy_connect_timeout 5s;
							proxy_read_timeout 30s;
						}
					}
				}
				""".formatted(this.directory, servers, this.port);
	}

	private void awaitListening() {
		long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
		while (!accepts()) {
			if (System.nanoTime() - deadline > 0) {
				throw new IllegalStateException("nginx did not listen on 127.0.0.1:" + this.port + " within "
						+ STARTUP_TIMEOUT.toSeconds() + " s\n" + output());
			}
			try {
				if (this.process.waitFor(50, TimeUnit.MILLISECONDS)) {
					throw new IllegalStateException(
							"nginx exited during startup with code " + this.process.exitValue() + "\n" + output());
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException("Interrupted while waiting for nginx to start", ex);
			}
		}
	}

	private boolean accepts() {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress(ExternalProcesses.LOOPBACK, this.port), 1000);
			return true;
		}
		catch (IOException ex) {
			return false;
		}
	}

}
