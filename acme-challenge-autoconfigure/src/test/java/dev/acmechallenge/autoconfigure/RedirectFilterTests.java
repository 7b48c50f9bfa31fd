package dev.acmechallenge.autoconfigure;

import java.io.IOException;

import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;
import org.springframework.core.env.Environment;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * End-to-end tests of challenge requests in applications whose own servlet filter redirects every
 * request, as sites do to add {@code www.}, switch to HTTPS, add a trailing slash or a locale.
 */
class RedirectFilterTests {

	@ParameterizedTest
	@EnumSource(Redirect.class)
	void challengeNotRedirected(Redirect redirect) throws IOException {
		try (ConfigurableApplicationContext context = start(redirect, Ordered.LOWEST_PRECEDENCE)) {
			RawHttpClient.Response response = RawHttpClient.get(port(context), TestWebroot.CHALLENGE_URI);
			assertThat(response.status()).isEqualTo(200);
			assertThat(response.body()).isEqualTo(TestWebroot.KEY_AUTHORIZATION);
		}
	}

	@ParameterizedTest
	@EnumSource(Redirect.class)
	void pageRedirected(Redirect redirect) throws IOException {
		try (ConfigurableApplicationContext context = start(redirect, Ordered.LOWEST_PRECEDENCE)) {
			RawHttpClient.Response response = RawHttpClient.get(port(context), "/page");
			assertThat(response.status()).isEqualTo(redirect.status);
			assertThat(response.header("Location")).isNotNull();
		}
	}

	@ParameterizedTest
	@ValueSource(ints = { Ordered.HIGHEST_PRECEDENCE + 1, 0 })
	void challengeNotRedirectedByEarlyFilter(int order) throws IOException {
		try (ConfigurableApplicationContext context = start(Redirect.HTTPS, order)) {
			int port = port(context);
			assertThat(RawHttpClient.get(port, TestWebroot.CHALLENGE_URI).status()).isEqualTo(200);
			assertThat(RawHttpClient.get(port, "/page").status()).isEqualTo(301);
		}
	}

	private static ConfigurableApplicationContext start(Redirect redirect, int order) {
		return new SpringApplicationBuilder(RedirectingApplication.class)
			.properties("server.port=0", "server.address=127.0.0.1", "acme.webroot=" + TestWebroot.path(),
					"test.redirect=" + redirect, "test.redirect-order=" + order)
			.run();
	}

	private static int port(ConfigurableApplicationContext context) {
		return context.getEnvironment().getRequiredProperty("local.server.port", Integer.class);
	}

	/**
	 * Redirects that sites apply to every request.
	 */
	enum Redirect {

		WWW(301), HTTPS(301), TRAILING_SLASH(301), LOCALE(302);

		private final int status;

		Redirect(int status) {
			this.status = status;
		}

		/**
		 * Returns the redirect target, or {@code null} when the request needs no redirect.
		 */
		String target(HttpServletRequest request) {
			String host = request.getServerName();
			String uri = request.getRequestURI();
			return switch (this) {
				case WWW -> host.startsWith("www.") ? null : "http://www." + host + uri;
				case HTTPS -> request.isSecure() ? null : "https://" + host + uri;
				case TRAILING_SLASH -> uri.endsWith("/") ? null : uri + "/";
				case LOCALE -> uri.startsWith("/en/") ? null : "/en" + uri;
			};
		}

	}

	@SpringBootConfiguration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class RedirectingApplication {

		@Bean
		FilterRegistrationBean<Filter> redirectFilter(Environment environment) {
			Redirect redirect = environment.getRequiredProperty("test.redirect", Redirect.class);
			Filter filter = (request, response, chain) -> {
				String target = redirect.target((HttpServletRequest) request);
				if (target == null) {
					chain.doFilter(request, response);
					return;
				}
				HttpServletResponse httpResponse = (HttpServletResponse) response;
				httpResponse.setStatus(redirect.status);
				httpResponse.setHeader("Location", target);
			};
			FilterRegistrationBean<Filter> registration = new FilterRegistrationBean<>(filter);
			registration.setOrder(environment.getRequiredProperty("test.redirect-order", Integer.class));
			return registration;
		}

	}

}
