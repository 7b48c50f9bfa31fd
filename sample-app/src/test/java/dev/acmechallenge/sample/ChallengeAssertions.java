package dev.acmechallenge.sample;

import java.net.http.HttpResponse;

import org.springframework.http.MediaType;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Assertions on responses to challenge requests, shared by the end-to-end tests.
 */
final class ChallengeAssertions {

	private ChallengeAssertions() {
	}

	/**
	 * Asserts a {@code 200} with the key authorization as a plain-text body.
	 */
	static void assertServed(HttpResponse<String> response, String keyAuthorization) {
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).isEqualTo(keyAuthorization);
		assertThat(mediaType(response)).isEqualTo("text/plain");
	}

	/**
	 * Asserts the filter's own {@code 404}: a short plain-text body, no redirect, and none of the
	 * application's pages.
	 */
	static void assertChallengeNotFound(HttpResponse<String> response) {
		assertThat(response.statusCode()).isEqualTo(404);
		assertThat(mediaType(response)).isEqualTo("text/plain");
		assertThat(response.body()).hasSizeLessThan(100);
		assertThat(response.headers().firstValue("Location")).isEmpty();
		assertThat(response.body()).doesNotContain(PageController.NOT_FOUND_MARKER);
		assertThat(response.body()).doesNotContainIgnoringCase("<html");
	}

	/**
	 * Returns the type and subtype of the response's {@code Content-Type}, without parameters.
	 */
	static String mediaType(HttpResponse<String> response) {
		return response.headers()
			.firstValue("Content-Type")
			.map(MediaType::parseMediaType)
			.map((mediaType) -> mediaType.getType() + "/" + mediaType.getSubtype())
			.orElse(null);
	}

}
