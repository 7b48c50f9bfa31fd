package dev.acmechallenge.sample;

import java.net.http.HttpResponse;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.RequestMapping;

import static dev.acmechallenge.sample.ChallengeFiles.CHALLENGE_PATH;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * An application {@link ErrorController} that renders a site error page for every error status.
 */
class ErrorControllerPrecedenceTests extends RoutingPrecedenceTests {

	private static final String ERROR_PAGE_MARKER = "site error page";

	@Test
	void unmappedPathGetsErrorPage() throws Exception {
		HttpResponse<String> response = this.http.get("/no/such/path");
		assertThat(response.statusCode()).isEqualTo(404);
		assertThat(response.body()).contains(ERROR_PAGE_MARKER);
	}

	@Test
	void missingTokenNotErrorPage() throws Exception {
		HttpResponse<String> response = this.http.get(CHALLENGE_PATH + ChallengeFiles.newToken());
		assertThat(response.body()).doesNotContain(ERROR_PAGE_MARKER);
	}

	@Test
	void invalidTokenNotErrorPage() throws Exception {
		HttpResponse<String> response = this.http.get(CHALLENGE_PATH + "not.a.token");
		assertThat(response.body()).doesNotContain(ERROR_PAGE_MARKER);
	}

	@Test
	void postNotErrorPage() throws Exception {
		HttpResponse<String> response = this.http.send("POST", CHALLENGE_PATH + this.token);
		assertThat(response.body()).doesNotContain(ERROR_PAGE_MARKER);
	}

	@TestConfiguration(proxyBeanMethods = false)
	@Import(SiteErrorController.class)
	static class ErrorPageConfiguration {

	}

	@Controller
	static class SiteErrorController implements ErrorController {

		@RequestMapping("/error")
		ResponseEntity<String> error(HttpServletRequest request) {
			Object status = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
			int code = (status instanceof Integer value) ? value : 500;
			return ResponseEntity.status(code)
				.contentType(MediaType.TEXT_HTML)
				.body("<html><body>" + ERROR_PAGE_MARKER + " " + code + "</body></html>");
		}

	}

}
