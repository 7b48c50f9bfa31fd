package dev.acmechallenge.sample;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

import static dev.acmechallenge.sample.ChallengeAssertions.assertChallengeNotFound;
import static dev.acmechallenge.sample.ChallengeAssertions.assertServed;
import static dev.acmechallenge.sample.ChallengeFiles.CHALLENGE_PATH;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Static resources served at {@code /**} from a directory that has files of its own at token
 * paths, which the starter must not serve.
 */
@TestPropertySource(properties = "spring.mvc.static-path-pattern=/**")
class StaticResourcePrecedenceTests extends RoutingPrecedenceTests {

	private static final String STATIC_CONTENT = "from the static resource directory";

	@DynamicPropertySource
	static void staticLocations(DynamicPropertyRegistry registry) {
		registry.add("spring.web.resources.static-locations", () -> staticDirectory().toUri().toString());
	}

	static Path staticDirectory() {
		return webroot.resolve("static-site");
	}

	@BeforeEach
	void writeStaticFileAtTokenPath() throws IOException {
		ChallengeFiles.write(staticDirectory(), this.token, STATIC_CONTENT);
	}

	@Test
	void staticFileServed() throws Exception {
		Files.writeString(staticDirectory().resolve(".well-known/security.txt"), "Contact: mailto:security@example.test");
		HttpResponse<String> response = this.http.get("/.well-known/security.txt");
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).isEqualTo("Contact: mailto:security@example.test");
	}

	@Test
	void webrootWinsOverStaticFile() throws Exception {
		assertServed(this.http.get(CHALLENGE_PATH + this.token), this.keyAuthorization);
	}

	@Test
	void tokenOnlyInStaticDirectoryNotFound() throws Exception {
		String staticOnlyToken = ChallengeFiles.newToken();
		ChallengeFiles.write(staticDirectory(), staticOnlyToken, STATIC_CONTENT);
		HttpResponse<String> response = this.http.get(CHALLENGE_PATH + staticOnlyToken);
		assertChallengeNotFound(response);
		assertThat(response.body()).doesNotContain(STATIC_CONTENT);
	}

}
