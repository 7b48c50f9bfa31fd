package dev.acmechallenge.sample;

import java.net.http.HttpResponse;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sample's own routing: {@code /{page}} for pages, its HTML 404 page for unknown names, and
 * the single-page-app fallback under {@code /app/}.
 */
class PageRouterPrecedenceTests extends RoutingPrecedenceTests {

	@Test
	void aboutPageServed() throws Exception {
		HttpResponse<String> response = this.http.get("/about");
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).contains("<h1>About</h1>");
	}

	@Test
	void homePageServed() throws Exception {
		HttpResponse<String> response = this.http.get("/");
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).doesNotContain(PageController.NOT_FOUND_MARKER);
	}

	@Test
	void unknownPageGetsSiteNotFoundPage() throws Exception {
		HttpResponse<String> response = this.http.get("/nope");
		assertThat(response.statusCode()).isEqualTo(404);
		assertThat(response.body()).contains(PageController.NOT_FOUND_MARKER);
		assertThat(ChallengeAssertions.mediaType(response)).isEqualTo("text/html");
	}

	@Test
	void wellKnownSegmentGetsSiteNotFoundPage() throws Exception {
		HttpResponse<String> response = this.http.get("/.well-known");
		assertThat(response.statusCode()).isEqualTo(404);
		assertThat(response.body()).contains(PageController.NOT_FOUND_MARKER);
	}

	@Test
	void singlePageAppRouteServed() throws Exception {
		HttpResponse<String> response = this.http.get("/app/settings/profile");
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).contains("sample-app: single-page app");
	}

}
