package dev.acmechallenge.sample;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.acmechallenge.autoconfigure.ChallengeStore;
import dev.acmechallenge.autoconfigure.ChallengeStoreException;

import static dev.acmechallenge.sample.ChallengeAssertions.assertChallengeNotFound;
import static dev.acmechallenge.sample.ChallengeAssertions.assertServed;
import static dev.acmechallenge.sample.ChallengeAssertions.mediaType;
import static dev.acmechallenge.sample.ChallengeFiles.CHALLENGE_PATH;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * An application's own {@link ChallengeStore} bean, which replaces the web root store, and the
 * response when that store fails.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "server.address=127.0.0.1")
@ExtendWith(OutputCaptureExtension.class)
class UserChallengeStoreTests {

	/**
	 * Token for which the store throws, as a store whose database is down would.
	 */
	static final String FAILING_TOKEN = "FailingToken_0123456789abcdef";

	static final Map<String, String> keyAuthorizations = new ConcurrentHashMap<>();

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
		this.http = LoopbackHttpClient.ipv4(this.port);
		this.token = ChallengeFiles.newToken();
	}

	@Test
	void tokenServedFromUserStore() throws Exception {
		keyAuthorizations.put(this.token, ChallengeFiles.keyAuthorization(this.token));
		assertServed(this.http.get(CHALLENGE_PATH + this.token), ChallengeFiles.keyAuthorization(this.token));
	}

	@Test
	void webrootFileIgnored() throws Exception {
		ChallengeFiles.write(webroot, this.token, ChallengeFiles.keyAuthorization(this.token));
		assertChallengeNotFound(this.http.get(CHALLENGE_PATH + this.token));
	}

	@Test
	void storeFailureUnavailable() throws Exception {
		HttpResponse<String> response = this.http.get(CHALLENGE_PATH + FAILING_TOKEN);
		assertThat(response.statusCode()).isEqualTo(503);
		assertThat(response.headers().firstValue("Retry-After")).contains("5");
		assertThat(mediaType(response)).isEqualTo("text/plain");
		assertThat(response.headers().firstValue("Cache-Control")).contains("no-store");
		assertThat(response.body()).doesNotContain("database down");
	}

	@Test
	void storeFailureLogged(CapturedOutput output) throws IOException, InterruptedException {
		this.http.get(CHALLENGE_PATH + FAILING_TOKEN);
		assertThat(output.getOut()).contains("Failed to look up ACME challenge token [" + FAILING_TOKEN + "]");
	}

	@TestConfiguration(proxyBeanMethods = false)
	static class UserStoreConfiguration {

		@Bean
		ChallengeStore mapChallengeStore() {
			return (token) -> {
				if (token.equals(FAILING_TOKEN)) {
					throw new ChallengeStoreException("database down", new IOException("connection refused"));
				}
				return Optional.ofNullable(keyAuthorizations.get(token));
			};
		}

	}

}
