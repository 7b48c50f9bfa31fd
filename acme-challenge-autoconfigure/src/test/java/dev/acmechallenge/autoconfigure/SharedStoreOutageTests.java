package dev.acmechallenge.autoconfigure;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Import;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * End-to-end tests of challenge requests over HTTP while the JDBC or Redis store is unreachable:
 * its server is stopped (nothing listens on the port) or accepts connections but never responds.
 * The drivers are set to wait a minute, longer than the HTTP client's timeout, so a request
 * answered in time shows that acme.store-timeout, not the driver, ended the lookup.
 */
@ExtendWith(OutputCaptureExtension.class)
class SharedStoreOutageTests {

	private static final String TOKEN = "Outage_0123456789abcdefghij";

	private static final Duration STORE_TIMEOUT = Duration.ofSeconds(1);

	private static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(20);

	private final HttpClient client = HttpClient.newBuilder().connectTimeout(CLIENT_TIMEOUT).build();

	private final List<AutoCloseable> resources = new ArrayList<>();

	@AfterEach
	void close() throws Exception {
		for (int i = this.resources.size() - 1; i >= 0; i--) {
			this.resources.get(i).close();
		}
	}

	@Test
	void jdbcServerStopped(CapturedOutput output) throws Exception {
		int port = app(jdbcProperties(closedPort()));
		HttpResponse<String> response = get(port, challengePath());
		assertUnavailable(response);
		assertThat(output).contains("Failed to look up ACME challenge token [" + TOKEN + "]: Query of table "
				+ "[acme_challenge] failed");
		assertThat(output).contains("Connection to 127.0.0.1:");
	}

	@Test
	void jdbcServerNotAnswering(CapturedOutput output) throws Exception {
		int port = app(jdbcProperties(silentServer()));
		assertUnavailableWhileHomeWorks(port);
		assertThat(output).contains("Failed to look up ACME challenge token [" + TOKEN + "]: Query of table "
				+ "[acme_challenge] timed out after 1000 ms");
	}

	@Test
	void jdbcStartsWithServerNotAnswering(CapturedOutput output) throws Exception {
		app(jdbcProperties(silentServer()));
		assertThat(output).contains("Failed to create the ACME challenge table [acme_challenge]");
	}

	@Test
	void redisServerStopped(CapturedOutput output) throws Exception {
		int port = app(redisProperties(closedPort()));
		HttpResponse<String> response = get(port, challengePath());
		assertUnavailable(response);
		assertThat(output).contains("Failed to look up ACME challenge token [" + TOKEN + "]: GET of Redis key "
				+ "[acme:challenge:" + TOKEN + "] failed");
		assertThat(output).contains("Unable to connect to 127.0.0.1");
	}

	@Test
	void redisServerNotAnswering(CapturedOutput output) throws Exception {
		int port = app(redisProperties(silentServer()));
		assertUnavailableWhileHomeWorks(port);
		assertThat(output).contains("Failed to look up ACME challenge token [" + TOKEN + "]: GET of Redis key "
				+ "[acme:challenge:" + TOKEN + "] timed out after 1000 ms");
	}

	/**
	 * Sends challenge requests that wait for the store and, while they wait, requests the home
	 * page, which must be served at once.
	 */
	private void assertUnavailableWhileHomeWorks(int port) throws Exception {
		List<CompletableFuture<HttpResponse<String>>> challenges = new ArrayList<>();
		for (int i = 0; i < 3; i++) {
			challenges.add(this.client.sendAsync(request(port, challengePath()), BodyHandlers.ofString()));
		}
		HttpResponse<String> home = get(port, "/");
		assertThat(home.statusCode()).isEqualTo(200);
		assertThat(home.body()).isEqualTo("home");
		for (CompletableFuture<HttpResponse<String>> challenge : challenges) {
			assertUnavailable(challenge.get());
		}
	}

	private static void assertUnavailable(HttpResponse<String> response) {
		assertThat(response.statusCode()).isEqualTo(503);
		assertThat(response.headers().firstValue("Retry-After")).contains("5");
		assertThat(response.body()).isEqualTo("ACME challenge store unavailable\n");
	}

	private List<String> jdbcProperties(int databasePort) {
		return List.of("acme.store=jdbc", "spring.datasource.url=jdbc:postgresql://127.0.0.1:" + databasePort
				+ "/acme?connectTimeout=60&socketTimeout=60&loginTimeout=60",
				"spring.datasource.type=org.springframework.jdbc.datasource.SimpleDriverDataSource",
				"spring.datasource.username=acme", "spring.datasource.password=secret");
	}

	private List<String> redisProperties(int redisPort) {
		return List.of("acme.store=redis", "spring.data.redis.host=127.0.0.1", "spring.data.redis.port=" + redisPort,
				"spring.data.redis.timeout=60s", "spring.data.redis.connect-timeout=60s");
	}

	private int app(List<String> properties) {
		List<String> all = new ArrayList<>(properties);
		all.add("server.port=0");
		all.add("server.address=127.0.0.1");
		all.add("acme.store-timeout=" + STORE_TIMEOUT.toMillis() + "ms");
		all.add("spring.main.banner-mode=off");
		ConfigurableApplicationContext context = new SpringApplicationBuilder(OutageTestApplication.class)
			.properties(all.toArray(String[]::new))
			.run();
		this.resources.add(context);
		return ((WebServerApplicationContext) context).getWebServer().getPort();
	}

	private static String challengePath() {
		return AcmeChallengeFilter.CHALLENGE_PATH + "/" + TOKEN;
	}

	private HttpResponse<String> get(int port, String path) throws IOException, InterruptedException {
		return this.client.send(request(port, path), BodyHandlers.ofString());
	}

	private static HttpRequest request(int port, String path) {
		return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(CLIENT_TIMEOUT).build();
	}

	private static int closedPort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
	}

	/**
	 * Starts a server on loopback that accepts connections and never reads or writes.
	 * @return its port
	 */
	private int silentServer() throws IOException {
		ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
		List<Socket> connections = new CopyOnWriteArrayList<>();
		Thread acceptor = new Thread(() -> {
			while (!server.isClosed()) {
				try {
					connections.add(server.accept());
				}
				catch (IOException ex) {
					return;
				}
			}
		}, "silent-server");
		acceptor.setDaemon(true);
		acceptor.start();
		this.resources.add(() -> {
			server.close();
			for (Socket connection : connections) {
				connection.close();
			}
		});
		return server.getLocalPort();
	}

	@SpringBootConfiguration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	@Import(HomeController.class)
	static class OutageTestApplication {

	}

	@RestController
	static class HomeController {

		@GetMapping("/")
		String home() {
			return "home";
		}

	}

}
