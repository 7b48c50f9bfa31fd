package dev.acmechallenge.sample;

import java.net.http.HttpResponse;
import java.nio.file.Path;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static dev.acmechallenge.sample.ChallengeAssertions.assertChallengeNotFound;
import static dev.acmechallenge.sample.ChallengeAssertions.assertServed;
import static dev.acmechallenge.sample.ChallengeFiles.CHALLENGE_PATH;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Challenge requests over IPv6, to the sample application listening on {@code [::1]} only.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "server.address=::1")
class Ipv6ChallengeTests {

	@TempDir
	static Path webroot;

	@LocalServerPort
	int port;

	LoopbackHttpClient http;

	String token;

	@DynamicPropertySource
	static void acmeProperties(DynamicPropertyRegistry registry) {
		registry.add("acme.webroot", () -> webroot.toString());
	}

	@BeforeEach
	void createClientAndToken() {
		this.http = LoopbackHttpClient.ipv6(this.port);
		this.token = ChallengeFiles.newToken();
	}

	@Test
	void servesKeyAuthorization() throws Exception {
		String keyAuthorization = ChallengeFiles.keyAuthorization(this.token);
		ChallengeFiles.write(webroot, this.token, keyAuthorization + "\n");
		HttpResponse<String> response = this.http.get(CHALLENGE_PATH + this.token);
		assertServed(response, keyAuthorization);
		assertThat(response.headers().firstValue("Cache-Control")).contains("no-store");
	}

	@Test
	void headHasNoBody() throws Exception {
		ChallengeFiles.write(webroot, this.token, ChallengeFiles.keyAuthorization(this.token));
		LoopbackHttpClient.RawResponse head = this.http.head(CHALLENGE_PATH + this.token);
		assertThat(head.status()).isEqualTo(200);
		assertThat(head.body()).isEmpty();
	}

	@Test
	void missingTokenNotFound() throws Exception {
		assertChallengeNotFound(this.http.get(CHALLENGE_PATH + this.token));
	}

	@Test
	void invalidTokenNotFound() throws Exception {
		assertChallengeNotFound(this.http.get(CHALLENGE_PATH + "short"));
	}

	@Test
	void postNotAllowed() throws Exception {
		HttpResponse<String> response = this.http.send("POST", CHALLENGE_PATH + this.token);
		assertThat(response.statusCode()).isEqualTo(405);
		assertThat(response.headers().firstValue("Allow")).contains("GET, HEAD");
	}

}
