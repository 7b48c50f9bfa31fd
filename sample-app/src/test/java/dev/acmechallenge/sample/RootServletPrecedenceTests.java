package dev.acmechallenge.sample;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;

import static dev.acmechallenge.sample.ChallengeFiles.CHALLENGE_PATH;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A servlet mapped at {@code /*}, which takes every request away from Spring MVC's dispatcher
 * servlet.
 */
class RootServletPrecedenceTests extends RoutingPrecedenceTests {

	private static final String SERVLET_MARKER = "root servlet";

	@Test
	void pagePathGetsServlet() throws Exception {
		HttpResponse<String> response = this.http.get("/about");
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).isEqualTo(SERVLET_MARKER);
	}

	@Test
	void missingTokenNotServlet() throws Exception {
		HttpResponse<String> response = this.http.get(CHALLENGE_PATH + ChallengeFiles.newToken());
		assertThat(response.body()).doesNotContain(SERVLET_MARKER);
	}

	@TestConfiguration(proxyBeanMethods = false)
	static class RootServletConfiguration {

		@Bean
		ServletRegistrationBean<HttpServlet> rootServlet() {
			return new ServletRegistrationBean<>(new RootServlet(), "/*");
		}

	}

	static class RootServlet extends HttpServlet {

		@Override
		protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
			response.setContentType("text/plain");
			response.getOutputStream().write(SERVLET_MARKER.getBytes(StandardCharsets.UTF_8));
		}

	}

}
