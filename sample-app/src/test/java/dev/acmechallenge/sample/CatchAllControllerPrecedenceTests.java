package dev.acmechallenge.sample;

import java.net.http.HttpResponse;

import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Import;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A controller mapped at {@code /**} that returns 200 for every GET request.
 */
class CatchAllControllerPrecedenceTests extends RoutingPrecedenceTests {

	private static final String CATCH_ALL_MARKER = "catch-all controller";

	@Test
	void otherPathGetsCatchAll() throws Exception {
		HttpResponse<String> response = this.http.get("/some/deep/path");
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).isEqualTo(CATCH_ALL_MARKER);
	}

	@Test
	void wellKnownPathGetsCatchAll() throws Exception {
		HttpResponse<String> response = this.http.get("/.well-known/security.txt");
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).isEqualTo(CATCH_ALL_MARKER);
	}

	@Test
	void missingTokenNotCaught() throws Exception {
		HttpResponse<String> response = this.http.get(ChallengeFiles.CHALLENGE_PATH + ChallengeFiles.newToken());
		assertThat(response.body()).doesNotContain(CATCH_ALL_MARKER);
	}

	@TestConfiguration(proxyBeanMethods = false)
	@Import(CatchAllController.class)
	static class CatchAllConfiguration {

	}

	@Controller
	static class CatchAllController {

		@GetMapping("/**")
		ResponseEntity<String> catchAll() {
			return ResponseEntity.ok(CATCH_ALL_MARKER);
		}

	}

}
