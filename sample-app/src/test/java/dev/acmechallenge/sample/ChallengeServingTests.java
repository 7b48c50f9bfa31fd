package dev.acmechallenge.sample;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static dev.acmechallenge.sample.ChallengeAssertions.assertChallengeNotFound;
import static dev.acmechallenge.sample.ChallengeAssertions.assertServed;
import static dev.acmechallenge.sample.ChallengeAssertions.mediaType;
import static dev.acmechallenge.sample.ChallengeFiles.CHALLENGE_PATH;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Challenge requests over real HTTP to the sample application on 127.0.0.1, with
 * {@code acme.webroot} on a temporary directory.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "server.address=127.0.0.1")
class ChallengeServingTests {

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

	static Stream<String> invalidTokens() {
		return Stream.of("a".repeat(21), "a".repeat(256),
				// characters outside base64url, some percent-encoded
				"Token.0123456789abcdefghij", "Token~0123456789abcdefghij", "Token0123456789abcdefghij==",
				"Token%2B0123456789abcdefghij", "Token%C3%A90123456789abcdefghij", "Token%200123456789abcdefghij",
				"Token!0123456789abcdefghij", "Token*0123456789abcdefghij",
				// the challenge directory itself
				"");
	}

	@BeforeEach
	void createClientAndToken() throws IOException {
		Files.createDirectories(ChallengeFiles.challengeDirectory(webroot));
		this.http = LoopbackHttpClient.ipv4(this.port);
		this.token = ChallengeFiles.newToken();
		this.keyAuthorization = ChallengeFiles.keyAuthorization(this.token);
	}

	HttpResponse<String> getChallenge(String... headers) throws IOException, InterruptedException {
		return this.http.get(CHALLENGE_PATH + this.token, headers);
	}

	@Nested
	class Served {

		@BeforeEach
		void writeToken() throws IOException {
			ChallengeFiles.write(webroot, ChallengeServingTests.this.token,
					ChallengeServingTests.this.keyAuthorization + "\r\n\t \n");
		}

		@Test
		void bodyIsFileWithoutTrailingWhitespace() throws Exception {
			HttpResponse<String> response = getChallenge();
			assertThat(response.statusCode()).isEqualTo(200);
			assertThat(response.body()).isEqualTo(ChallengeServingTests.this.keyAuthorization);
		}

		@Test
		void contentTypeIsPlainText() throws Exception {
			assertThat(mediaType(getChallenge())).isEqualTo("text/plain");
		}

		@Test
		void contentLengthIsExact() throws Exception {
			HttpResponse<String> response = getChallenge();
			int expected = ChallengeServingTests.this.keyAuthorization.getBytes(StandardCharsets.UTF_8).length;
			assertThat(response.headers().firstValue("Content-Length")).contains(String.valueOf(expected));
			assertThat(response.body().getBytes(StandardCharsets.UTF_8)).hasSize(expected);
		}

		@Test
		void cacheControlIsNoStore() throws Exception {
			assertThat(getChallenge().headers().firstValue("Cache-Control")).contains("no-store");
		}

		@Test
		void contentTypeOptionsIsNosniff() throws Exception {
			assertThat(getChallenge().headers().firstValue("X-Content-Type-Options")).contains("nosniff");
		}

		@Test
		void noValidators() throws Exception {
			HttpResponse<String> response = getChallenge();
			assertThat(response.headers().firstValue("ETag")).isEmpty();
			assertThat(response.headers().firstValue("Last-Modified")).isEmpty();
		}

		@Test
		void ifModifiedSinceIgnored() throws Exception {
			HttpResponse<String> response = getChallenge("If-Modified-Since", "Fri, 31 Dec 2100 23:59:59 GMT");
			assertServed(response, ChallengeServingTests.this.keyAuthorization);
		}

		@Test
		void ifNoneMatchIgnored() throws Exception {
			HttpResponse<String> response = getChallenge("If-None-Match", "*");
			assertServed(response, ChallengeServingTests.this.keyAuthorization);
		}

		@Test
		void ifUnmodifiedSinceIgnored() throws Exception {
			HttpResponse<String> response = getChallenge("If-Unmodified-Since", "Thu, 01 Jan 1970 00:00:00 GMT");
			assertServed(response, ChallengeServingTests.this.keyAuthorization);
		}

		@Test
		void rangeIgnored() throws Exception {
			HttpResponse<String> response = getChallenge("Range", "bytes=0-3");
			assertServed(response, ChallengeServingTests.this.keyAuthorization);
			assertThat(response.headers().firstValue("Content-Range")).isEmpty();
		}

		@Test
		void ifRangeIgnored() throws Exception {
			HttpResponse<String> response = getChallenge("Range", "bytes=5-", "If-Range",
					"Fri, 31 Dec 2100 23:59:59 GMT");
			assertServed(response, ChallengeServingTests.this.keyAuthorization);
			assertThat(response.headers().firstValue("Content-Range")).isEmpty();
		}

		@Test
		void headHasSameHeadersAndNoBody() throws Exception {
			HttpResponse<String> get = getChallenge();
			LoopbackHttpClient.RawResponse head = ChallengeServingTests.this.http
				.head(CHALLENGE_PATH + ChallengeServingTests.this.token);
			assertThat(head.status()).isEqualTo(200);
			assertThat(head.body()).isEmpty();
			for (String name : new String[] { "Content-Type", "Content-Length", "Cache-Control",
					"X-Content-Type-Options" }) {
				assertThat(head.header(name)).as(name).isNotNull();
				assertThat(head.header(name)).as(name).isEqualTo(get.headers().firstValue(name).orElse(null));
			}
			assertThat(head.header("ETag")).isNull();
			assertThat(head.header("Last-Modified")).isNull();
		}

		@ParameterizedTest
		@ValueSource(strings = { "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE" })
		void otherMethodsNotAllowed(String method) throws Exception {
			HttpResponse<String> response = ChallengeServingTests.this.http.send(method,
					CHALLENGE_PATH + ChallengeServingTests.this.token);
			assertThat(response.statusCode()).isEqualTo(405);
			assertThat(response.headers().firstValue("Allow")).contains("GET, HEAD");
			assertThat(mediaType(response)).isEqualTo("text/plain");
			assertThat(response.body()).doesNotContain(ChallengeServingTests.this.keyAuthorization);
		}

		@Test
		void queryStringIgnored() throws Exception {
			HttpResponse<String> response = ChallengeServingTests.this.http
				.get(CHALLENGE_PATH + ChallengeServingTests.this.token + "?query=1");
			assertServed(response, ChallengeServingTests.this.keyAuthorization);
		}

		@Test
		void fileIsNeverModified() throws Exception {
			Path file = ChallengeFiles.challengeDirectory(webroot).resolve(ChallengeServingTests.this.token);
			byte[] before = Files.readAllBytes(file);
			getChallenge();
			ChallengeServingTests.this.http.send("DELETE", CHALLENGE_PATH + ChallengeServingTests.this.token);
			assertThat(Files.readAllBytes(file)).isEqualTo(before);
		}

	}

	@Nested
	class NotFound {

		@ParameterizedTest
		@MethodSource("dev.acmechallenge.sample.ChallengeServingTests#invalidTokens")
		void invalidToken(String suffix) throws Exception {
			assertChallengeNotFound(ChallengeServingTests.this.http.get(CHALLENGE_PATH + suffix));
		}

		@Test
		void challengeDirectoryWithoutSlash() throws Exception {
			assertChallengeNotFound(ChallengeServingTests.this.http.get("/.well-known/acme-challenge"));
		}

		@ParameterizedTest
		@ValueSource(strings = { "/extra", "/", "/.", ";param=1" })
		void existingTokenWithSuffix(String suffix) throws Exception {
			ChallengeFiles.write(webroot, ChallengeServingTests.this.token,
					ChallengeServingTests.this.keyAuthorization);
			HttpResponse<String> response = ChallengeServingTests.this.http
				.get(CHALLENGE_PATH + ChallengeServingTests.this.token + suffix);
			assertChallengeNotFound(response);
		}

		@Test
		void validTokenWithoutFile() throws Exception {
			assertChallengeNotFound(getChallenge());
		}

		@Test
		void headForMissingToken() throws Exception {
			LoopbackHttpClient.RawResponse head = ChallengeServingTests.this.http
				.head(CHALLENGE_PATH + ChallengeServingTests.this.token);
			assertThat(head.status()).isEqualTo(404);
			assertThat(head.body()).isEmpty();
		}

		@ParameterizedTest
		@ValueSource(strings = { "POST", "PUT", "DELETE", "PATCH", "OPTIONS" })
		void otherMethodsNotAllowedForInvalidToken(String method) throws Exception {
			HttpResponse<String> response = ChallengeServingTests.this.http.send(method, CHALLENGE_PATH + "short");
			assertThat(response.statusCode()).isEqualTo(405);
			assertThat(response.headers().firstValue("Allow")).contains("GET, HEAD");
		}

	}

	@Nested
	class FileChanges {

		@Test
		void createdFileServedOnNextRequest() throws Exception {
			assertChallengeNotFound(getChallenge());
			ChallengeFiles.write(webroot, ChallengeServingTests.this.token,
					ChallengeServingTests.this.keyAuthorization);
			assertServed(getChallenge(), ChallengeServingTests.this.keyAuthorization);
		}

		@Test
		void deletedFileNotFoundAtOnce() throws Exception {
			ChallengeFiles.write(webroot, ChallengeServingTests.this.token,
					ChallengeServingTests.this.keyAuthorization);
			assertServed(getChallenge(), ChallengeServingTests.this.keyAuthorization);
			ChallengeFiles.delete(webroot, ChallengeServingTests.this.token);
			assertChallengeNotFound(getChallenge());
		}

		@Test
		void rewrittenFileServedOnNextRequest() throws Exception {
			ChallengeFiles.write(webroot, ChallengeServingTests.this.token, "first");
			assertServed(getChallenge(), "first");
			ChallengeFiles.write(webroot, ChallengeServingTests.this.token,
					ChallengeServingTests.this.keyAuthorization);
			assertServed(getChallenge(), ChallengeServingTests.this.keyAuthorization);
		}

		@Test
		void fileAtDefaultSizeLimitServed() throws Exception {
			String content = "k".repeat(8 * 1024);
			ChallengeFiles.write(webroot, ChallengeServingTests.this.token, content);
			assertServed(getChallenge(), content);
		}

		@Test
		void fileAboveDefaultSizeLimitNotFound() throws Exception {
			ChallengeFiles.write(webroot, ChallengeServingTests.this.token, "k".repeat(8 * 1024 + 1));
			assertChallengeNotFound(getChallenge());
		}

		@Test
		void symlinkLeavingDirectoryNotFound() throws Exception {
			Path secret = Files.writeString(webroot.resolve("secret-" + ChallengeServingTests.this.token), "secret");
			Files.createSymbolicLink(
					ChallengeFiles.challengeDirectory(webroot).resolve(ChallengeServingTests.this.token), secret);
			HttpResponse<String> response = getChallenge();
			assertChallengeNotFound(response);
			assertThat(response.body()).doesNotContain("secret");
		}

		@Test
		void symlinkToFileInsideServed() throws Exception {
			Path target = ChallengeFiles.write(webroot, "client-" + ChallengeServingTests.this.token,
					ChallengeServingTests.this.keyAuthorization);
			Files.createSymbolicLink(
					ChallengeFiles.challengeDirectory(webroot).resolve(ChallengeServingTests.this.token), target);
			assertServed(getChallenge(), ChallengeServingTests.this.keyAuthorization);
		}

	}

}
