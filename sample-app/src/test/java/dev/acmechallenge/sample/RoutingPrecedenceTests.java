package dev.acmechallenge.sample;

import java.io.IOException;
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
 * Challenge requests that must get the starter's response although the application routes the
 * same paths elsewhere. Each subclass adds one kind of routing, gets a context of its own, and
 * shows with a request outside the challenge path that its routing is active.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "server.address=127.0.0.1")
abstract class RoutingPrecedenceTests {

	@TempDir
	static Path webroot;

	@LocalServerPort
	int port;

	LoopbackHttpClient http;

	String token;

	String keyAuthorization;

	@DynamicPropertySource
	static void acmeProperties(DynamicPropertyRegistry registry) {
		registry.add("acme.webroot", () -> webroot.toString());
	}

	@BeforeEach
	void writeToken() throws IOException {
		this.http = LoopbackHttpClient.ipv4(this.port);
		this.token = ChallengeFiles.newToken();
		this.keyAuthorization = ChallengeFiles.keyAuthorization(this.token);
		ChallengeFiles.write(webroot, this.token, this.keyAuthorization + "\n");
	}

	@Test
	void tokenServed() throws Exception {
		HttpResponse<String> response = this.http.get(CHALLENGE_PATH + this.token);
		assertServed(response, this.keyAuthorization);
		assertThat(response.headers().firstValue("Cache-Control")).contains("no-store");
	}

	@Test
	void headServedWithoutBody() throws Exception {
		LoopbackHttpClient.RawResponse head = this.http.head(CHALLENGE_PATH + this.token);
		assertThat(head.status()).isEqualTo(200);
		assertThat(head.header("Content-Length")).isEqualTo(String.valueOf(this.keyAuthorization.length()));
		assertThat(head.body()).isEmpty();
	}

	@Test
	void missingTokenNotFound() throws Exception {
		assertChallengeNotFound(this.http.get(CHALLENGE_PATH + ChallengeFiles.newToken()));
	}

	@Test
	void invalidTokenNotFound() throws Exception {
		assertChallengeNotFound(this.http.get(CHALLENGE_PATH + "not.a.token"));
	}

	@Test
	void extraSegmentNotFound() throws Exception {
		assertChallengeNotFound(this.http.get(CHALLENGE_PATH + this.token + "/index.html"));
	}

	@Test
	void challengeDirectoryNotFound() throws Exception {
		assertChallengeNotFound(this.http.get(CHALLENGE_PATH));
	}

	@Test
	void postNotAllowed() throws Exception {
		HttpResponse<String> response = this.http.send("POST", CHALLENGE_PATH + this.token);
		assertThat(response.statusCode()).isEqualTo(405);
		assertThat(response.headers().firstValue("Allow")).contains("GET, HEAD");
	}

}
