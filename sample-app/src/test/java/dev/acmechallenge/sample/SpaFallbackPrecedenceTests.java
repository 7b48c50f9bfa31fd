package dev.acmechallenge.sample;

import java.io.IOException;
import java.net.http.HttpResponse;

import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.Resource;
import org.springframework.test.context.TestPropertySource;
import org.springframework.web.servlet.config.annotation.ResourceHandlerRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import org.springframework.web.servlet.resource.PathResourceResolver;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A single-page-app fallback on every path: static files where they exist, the app's
 * {@code index.html} for any other path.
 */
@TestPropertySource(properties = "spring.web.resources.add-mappings=false")
class SpaFallbackPrecedenceTests extends RoutingPrecedenceTests {

	private static final String SPA_MARKER = "sample-app: single-page app";

	@Test
	void unknownPathGetsIndex() throws Exception {
		HttpResponse<String> response = this.http.get("/settings/profile/edit");
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).contains(SPA_MARKER);
	}

	@Test
	void unknownWellKnownPathGetsIndex() throws Exception {
		HttpResponse<String> response = this.http.get("/.well-known/other/" + this.token);
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).contains(SPA_MARKER);
	}

	@Test
	void missingTokenNotIndex() throws Exception {
		HttpResponse<String> response = this.http.get(ChallengeFiles.CHALLENGE_PATH + ChallengeFiles.newToken());
		assertThat(response.body()).doesNotContain(SPA_MARKER);
	}

	@TestConfiguration(proxyBeanMethods = false)
	static class SpaFallbackConfiguration implements WebMvcConfigurer {

		@Override
		public void addResourceHandlers(ResourceHandlerRegistry registry) {
			registry.addResourceHandler("/**")
				.addResourceLocations("classpath:/static/")
				.resourceChain(false)
				.addResolver(new IndexFallbackResolver());
		}

	}

	/**
	 * Resolves a path to the static file when one exists and to the app's index page otherwise.
	 */
	static class IndexFallbackResolver extends PathResourceResolver {

		@Override
		protected Resource getResource(String resourcePath, Resource location) throws IOException {
			Resource resource = location.createRelative(resourcePath);
			return resource.isReadable() ? resource : new ClassPathResource("static/spa/index.html");
		}

	}

}
