package dev.acmechallenge.autoconfigure;

import java.io.IOException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * End-to-end tests of an application under a context path on Tomcat: validators request the
 * challenge at the host root, outside the context path.
 */
@SpringBootTest(classes = ContextPathTests.ContextPathApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "server.address=127.0.0.1", "server.servlet.context-path=/app" })
@ExtendWith(OutputCaptureExtension.class)
class ContextPathTests {

	@LocalServerPort
	int port;

	@DynamicPropertySource
	static void webroot(DynamicPropertyRegistry registry) {
		TestWebroot.register(registry);
	}

	@Test
	void challengeServedAtRoot() throws IOException {
		RawHttpClient.Response response = RawHttpClient.get(this.port, TestWebroot.CHALLENGE_URI);
		assertThat(response.status()).isEqualTo(200);
		assertThat(response.body()).isEqualTo(TestWebroot.KEY_AUTHORIZATION);
		assertThat(response.header("Content-Type")).startsWith("text/plain");
		assertThat(response.header("Cache-Control")).isEqualTo("no-store");
	}

	@Test
	void headServedAtRoot() throws IOException {
		RawHttpClient.Response response = RawHttpClient.send(this.port, "HEAD", TestWebroot.CHALLENGE_URI);
		assertThat(response.status()).isEqualTo(200);
		assertThat(response.header("Content-Length")).isEqualTo(String.valueOf(TestWebroot.KEY_AUTHORIZATION.length()));
	}

	@Test
	void challengeServedUnderContextPath() throws IOException {
		RawHttpClient.Response response = RawHttpClient.get(this.port, "/app" + TestWebroot.CHALLENGE_URI);
		assertThat(response.status()).isEqualTo(200);
		assertThat(response.body()).isEqualTo(TestWebroot.KEY_AUTHORIZATION);
	}

	@Test
	void missingTokenAtRootNotFound() throws IOException {
		RawHttpClient.Response response = RawHttpClient.get(this.port, TestWebroot.MISSING_CHALLENGE_URI);
		assertThat(response.status()).isEqualTo(404);
		assertThat(response.body()).isEqualTo("No ACME challenge for this token\n");
	}

	@Test
	void postAtRootNotAllowed() throws IOException {
		RawHttpClient.Response response = RawHttpClient.send(this.port, "POST", TestWebroot.CHALLENGE_URI,
				"Content-Length: 0");
		assertThat(response.status()).isEqualTo(405);
		assertThat(response.header("Allow")).isEqualTo("GET, HEAD");
	}

	@Test
	void invalidEscapeAtRootRejected() throws IOException {
		RawHttpClient.Response response = RawHttpClient.get(this.port, "/.well-known/acme-challenge/%");
		assertThat(response.status()).isEqualTo(400);
	}

	@Test
	void requestRejectedByTomcatGetsNoKeyAuthorization() throws IOException {
		RawHttpClient.Response response = RawHttpClient.get(this.port, TestWebroot.CHALLENGE_URI, "Host: a",
				"Host: b");
		assertThat(response.status()).isEqualTo(400);
		assertThat(response.body()).doesNotContain(TestWebroot.KEY_AUTHORIZATION);
	}

	@Test
	void otherRootPathNotServed() throws IOException {
		RawHttpClient.Response response = RawHttpClient.get(this.port, "/page/home");
		assertThat(response.status()).isEqualTo(404);
		assertThat(response.body()).doesNotContain("page home");
	}

	@Test
	void applicationServedUnderContextPath() throws IOException {
		RawHttpClient.Response response = RawHttpClient.get(this.port, "/app/page/home");
		assertThat(response.status()).isEqualTo(200);
		assertThat(response.body()).isEqualTo("page home");
	}

	@Test
	void rootChallengesLogged(CapturedOutput output) {
		assertThat(output).contains("Answering ACME challenges at the server root, outside the context path [/app]");
	}

	@RestController
	static class PageController {

		@GetMapping("/page/{name}")
		String page(@PathVariable String name) {
			return "page " + name;
		}

	}

	@SpringBootConfiguration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	@Import(PageController.class)
	static class ContextPathApplication {

	}

}
