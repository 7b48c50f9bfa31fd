package dev.acmechallenge.autoconfigure;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.GeneralSecurityException;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.factory.annotation.Value;
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
 * End-to-end tests of the plain-HTTP connector of {@code acme.http-port} in an application that
 * serves HTTPS on its main port.
 */
class HttpPortTests {

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		TestWebroot.register(registry);
		registry.add("server.ssl.key-store", () -> TestKeyStore.path().toString());
		registry.add("server.ssl.key-store-password", () -> TestKeyStore.PASSWORD);
		registry.add("server.ssl.key-store-type", () -> "PKCS12");
	}

	@Nested
	@SpringBootTest(classes = HttpsApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
			properties = { "server.address=127.0.0.1", "acme.http-port=0" })
	@ExtendWith(OutputCaptureExtension.class)
	class AtRoot {

		@LocalServerPort
		int httpsPort;

		@Value("${local.acme.http-port}")
		int httpPort;

		@Test
		void challengeServedOverHttp() throws IOException {
			RawHttpClient.Response response = RawHttpClient.get(this.httpPort, TestWebroot.CHALLENGE_URI);
			assertThat(response.status()).isEqualTo(200);
			assertThat(response.body()).isEqualTo(TestWebroot.KEY_AUTHORIZATION);
		}

		@Test
		void missingTokenNotFoundOverHttp() throws IOException {
			RawHttpClient.Response response = RawHttpClient.get(this.httpPort, TestWebroot.MISSING_CHALLENGE_URI);
			assertThat(response.status()).isEqualTo(404);
			assertThat(response.body()).isEqualTo("No ACME challenge for this token\n");
		}

		@Test
		void pageRedirectedKeepingHostPathAndQuery() throws IOException {
			RawHttpClient.Response response = RawHttpClient.get(this.httpPort, "/page/home?lang=en&q=a%20b",
					"Host: example.test:" + this.httpPort);
			assertThat(response.status()).isEqualTo(301);
			assertThat(response.header("Location"))
				.isEqualTo("https://example.test:" + this.httpsPort + "/page/home?lang=en&q=a%20b");
		}

		@Test
		void hostWithoutPortRedirected() throws IOException {
			RawHttpClient.Response response = RawHttpClient.get(this.httpPort, "/", "Host: example.test");
			assertThat(response.status()).isEqualTo(301);
			assertThat(response.header("Location")).isEqualTo("https://example.test:" + this.httpsPort + "/");
		}

		@Test
		void ipv6HostRedirected() throws IOException {
			RawHttpClient.Response response = RawHttpClient.get(this.httpPort, "/page/home", "Host: [::1]:80");
			assertThat(response.status()).isEqualTo(301);
			assertThat(response.header("Location")).isEqualTo("https://[::1]:" + this.httpsPort + "/page/home");
		}

		@Test
		void postRedirected() throws IOException {
			RawHttpClient.Response response = RawHttpClient.send(this.httpPort, "POST", "/page/home",
					"Content-Length: 0");
			assertThat(response.status()).isEqualTo(301);
		}

		@Test
		void otherWellKnownPathRedirected() throws IOException {
			RawHttpClient.Response response = RawHttpClient.get(this.httpPort, "/.well-known/other");
			assertThat(response.status()).isEqualTo(301);
		}

		@Test
		void targetWithoutLeadingSlashRejected() throws IOException {
			RawHttpClient.Response response = RawHttpClient.get(this.httpPort, ".evil.example/x",
					"Host: victim.example");
			assertThat(response.status()).isEqualTo(400);
			assertThat(response.header("Location")).isNull();
		}

		@Test
		void duplicateHostRejectedWithoutRedirect() throws IOException {
			RawHttpClient.Response response = RawHttpClient.get(this.httpPort, "/page/home", "Host: a.example",
					"Host: b.example");
			assertThat(response.status()).isEqualTo(400);
			assertThat(response.header("Location")).isNull();
		}

		@Test
		void emptyHostRejectedWithoutRedirect() throws IOException {
			RawHttpClient.Response response = RawHttpClient.get(this.httpPort, "/page/home", "Host: ");
			assertThat(response.status()).isEqualTo(400);
			assertThat(response.header("Location")).isNull();
		}

		@Test
		void invalidChallengePathRejectedWithoutRedirect() throws IOException {
			RawHttpClient.Response response = RawHttpClient.get(this.httpPort,
					AcmeChallengeFilter.CHALLENGE_PATH + "/%zz");
			assertThat(response.status()).isEqualTo(400);
			assertThat(response.header("Location")).isNull();
		}

		@Test
		void dotSegmentsOutOfChallengePathRedirected() throws IOException {
			RawHttpClient.Response response = RawHttpClient.get(this.httpPort,
					AcmeChallengeFilter.CHALLENGE_PATH + "/%2e%2e/%2e%2e/page/secret");
			assertThat(response.status()).isEqualTo(301);
			assertThat(response.body()).doesNotContain("page secret");
		}

		@Test
		void pageServedOverHttps() throws Exception {
			HttpResponse<String> response = getOverHttps(this.httpsPort, "/page/home");
			assertThat(response.statusCode()).isEqualTo(200);
			assertThat(response.body()).isEqualTo("page home");
		}

		@Test
		void challengeServedOverHttps() throws Exception {
			HttpResponse<String> response = getOverHttps(this.httpsPort, TestWebroot.CHALLENGE_URI);
			assertThat(response.statusCode()).isEqualTo(200);
			assertThat(response.body()).isEqualTo(TestWebroot.KEY_AUTHORIZATION);
		}

		@Test
		void portsLogged(CapturedOutput output) {
			assertThat(output).contains("Answering ACME challenges on plain-HTTP port " + this.httpPort
					+ " and redirecting every other request there to HTTPS port " + this.httpsPort);
		}

	}

	@Nested
	@SpringBootTest(classes = HttpsApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
			properties = { "server.address=127.0.0.1", "acme.http-port=0", "server.servlet.context-path=/app" })
	class UnderContextPath {

		@LocalServerPort
		int httpsPort;

		@Value("${local.acme.http-port}")
		int httpPort;

		@Test
		void challengeServedAtRootOverHttp() throws IOException {
			RawHttpClient.Response response = RawHttpClient.get(this.httpPort, TestWebroot.CHALLENGE_URI);
			assertThat(response.status()).isEqualTo(200);
			assertThat(response.body()).isEqualTo(TestWebroot.KEY_AUTHORIZATION);
		}

		@Test
		void challengeServedUnderContextPathOverHttp() throws IOException {
			RawHttpClient.Response response = RawHttpClient.get(this.httpPort, "/app" + TestWebroot.CHALLENGE_URI);
			assertThat(response.status()).isEqualTo(200);
			assertThat(response.body()).isEqualTo(TestWebroot.KEY_AUTHORIZATION);
		}

		@Test
		void pageRedirectedWithContextPath() throws IOException {
			RawHttpClient.Response response = RawHttpClient.get(this.httpPort, "/app/page/home",
					"Host: example.test");
			assertThat(response.status()).isEqualTo(301);
			assertThat(response.header("Location"))
				.isEqualTo("https://example.test:" + this.httpsPort + "/app/page/home");
		}

		@Test
		void dotSegmentsIntoContextRedirected() throws IOException {
			RawHttpClient.Response response = RawHttpClient.get(this.httpPort,
					AcmeChallengeFilter.CHALLENGE_PATH + "/%2e%2e/%2e%2e/app/page/secret");
			assertThat(response.status()).isEqualTo(301);
			assertThat(response.body()).doesNotContain("page secret");
		}

	}

	private static HttpResponse<String> getOverHttps(int port, String path)
			throws IOException, InterruptedException, GeneralSecurityException {
		HttpClient client = HttpClient.newBuilder().sslContext(TestKeyStore.trustingContext()).build();
		HttpRequest request = HttpRequest.newBuilder(URI.create("https://localhost:" + port + path)).build();
		return client.send(request, HttpResponse.BodyHandlers.ofString());
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
	static class HttpsApplication {

	}

}
