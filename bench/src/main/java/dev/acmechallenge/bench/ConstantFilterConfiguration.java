package dev.acmechallenge.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

/**
 * The ceiling for any servlet-based answer: a filter at the highest precedence that writes a key
 * authorization read once at startup, with no file access, checks or Spring MVC per request.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnBooleanProperty("bench.constant-filter")
class ConstantFilterConfiguration {

	private static final String PREFIX = "/.well-known/acme-challenge/";

	@Bean
	FilterRegistrationBean<Filter> constantChallengeFilter(@Value("${bench.webroot}") Path webroot,
			@Value("${bench.token}") String token) throws IOException {
		byte[] body = Files.readString(webroot.resolve(".well-known/acme-challenge").resolve(token))
			.stripTrailing()
			.getBytes(StandardCharsets.UTF_8);
		Filter filter = (request, response, chain) -> {
			String uri = ((HttpServletRequest) request).getRequestURI();
			if (uri.startsWith(PREFIX) && uri.regionMatches(PREFIX.length(), token, 0, token.length())) {
				HttpServletResponse httpResponse = (HttpServletResponse) response;
				httpResponse.setContentType("text/plain");
				httpResponse.setContentLength(body.length);
				httpResponse.getOutputStream().write(body);
			}
			else {
				chain.doFilter(request, response);
			}
		};
		FilterRegistrationBean<Filter> registration = new FilterRegistrationBean<>(filter);
		registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
		return registration;
	}

}
