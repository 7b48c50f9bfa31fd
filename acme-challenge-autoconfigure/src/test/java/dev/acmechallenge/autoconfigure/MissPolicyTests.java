package dev.acmechallenge.autoconfigure;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Import;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * End-to-end tests of {@code acme.on-miss}, against an application with a controller of its own
 * under the challenge path.
 */
class MissPolicyTests {

	private static final String SERVED_TOKEN = "Served_token_0123456789abc";

	private static final String MISSING_TOKEN = "Missing_token_0123456789abc";

	private static final String FILTER_NOT_FOUND_BODY = "No ACME challenge for this token\n";

	private static final HttpClient client = HttpClient.newHttpClient();

	@TempDir
	static Path webroot;

	private static ConfigurableApplicationContext passThrough;

	private static ConfigurableApplicationContext notFound;

	@BeforeAll
	static void start() throws IOException {
		Path challengeDirectory = Files.createDirectories(webroot.resolve(".well-known/acme-challenge"));
		Files.writeString(challengeDirectory.resolve(SERVED_TOKEN), SERVED_TOKEN + ".thumbprint");
		passThrough = run("acme.on-miss=pass-through");
		notFound = run("acme.on-miss=not-found");
	}

	@AfterAll
	static void stop() {
		passThrough.close();
		notFound.close();
	}

	@Test
	void passThroughReachesController() throws Exception {
		HttpResponse<String> response = get(passThrough, MISSING_TOKEN);
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).isEqualTo("application: " + MISSING_TOKEN);
	}

	@Test
	void passThroughStillServesKnownToken() throws Exception {
		HttpResponse<String> response = get(passThrough, SERVED_TOKEN);
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).isEqualTo(SERVED_TOKEN + ".thumbprint");
	}

	@Test
	void passThroughNeverPassesInvalidTokens() throws Exception {
		for (String invalid : new String[] { "short", "Dotted.token_0123456789abc", "Encoded%41token_0123456789ab" }) {
			HttpResponse<String> response = get(passThrough, invalid);
			assertThat(response.statusCode()).as(invalid).isEqualTo(404);
			assertThat(response.body()).as(invalid).isEqualTo(FILTER_NOT_FOUND_BODY);
		}
	}

	@Test
	void passThroughNeverPassesExtraSegments() throws Exception {
		HttpResponse<String> response = get(passThrough, MISSING_TOKEN + "/extra");
		assertThat(response.statusCode()).isEqualTo(404);
		assertThat(response.body()).isEqualTo(FILTER_NOT_FOUND_BODY);
	}

	@Test
	void notFoundAnswersPlain404() throws Exception {
		HttpResponse<String> response = get(notFound, MISSING_TOKEN);
		assertThat(response.statusCode()).isEqualTo(404);
		assertThat(response.headers().firstValue("Content-Type")).hasValue("text/plain;charset=UTF-8");
		assertThat(response.body()).isEqualTo(FILTER_NOT_FOUND_BODY);
	}

	@Test
	void notFoundStillServesKnownToken() throws Exception {
		HttpResponse<String> response = get(notFound, SERVED_TOKEN);
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).isEqualTo(SERVED_TOKEN + ".thumbprint");
	}

	private static ConfigurableApplicationContext run(String missPolicy) {
		return new SpringApplicationBuilder(App.class)
			.properties("server.port=0", "server.address=127.0.0.1", "acme.webroot=" + webroot,
					"acme.self-check.enabled=false", missPolicy)
			.run();
	}

	private static HttpResponse<String> get(ConfigurableApplicationContext context, String token)
			throws IOException, InterruptedException {
		int port = ((WebServerApplicationContext) context).getWebServer().getPort();
		URI uri = URI.create("http://127.0.0.1:" + port + AcmeChallengeFilter.CHALLENGE_PATH + "/" + token);
		return client.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import(ChallengeController.class)
	static class App {

	}

	/**
	 * Application controller that serves challenges of its own, for example from an ACME client
	 * library running in the same process.
	 */
	@RestController
	static class ChallengeController {

		@GetMapping("/.well-known/acme-challenge/{token}")
		String challenge(@PathVariable String token) {
			return "application: " + token;
		}

	}

}
