package dev.acmechallenge.sample.hostile;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.acmechallenge.sample.PageController;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Sends every row of {@code hostile-requests.tsv} as raw bytes to the sample application's
 * embedded Tomcat and checks the status the row expects, plus the invariants that hold for every
 * request under the challenge path: no redirect, no byte of a secret planted around the challenge
 * directory, and never the application's own catch-all page.
 * <p>
 * A 404 must be the challenge filter's plain-text response, and a 405 must allow {@code GET} and
 * {@code HEAD}, except for {@code TRACE}, which Tomcat rejects before any filter runs. Every row
 * expects a status below 500 except {@code CONNECT}: Tomcat 11 answers {@code CONNECT} with
 * {@code 501} in its connector, before any filter or servlet runs, so no application can change
 * that answer.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class HostileRequestTests {

	private static final Path BASE = createBase();

	private static final HostileWebroot WEBROOT = HostileWebroot.create(BASE);

	@LocalServerPort
	private int port;

	@DynamicPropertySource
	static void webroot(DynamicPropertyRegistry registry) {
		registry.add("acme.webroot", () -> WEBROOT.webroot().toString());
	}

	@AfterAll
	static void deleteWebroot() throws IOException {
		HostileWebroot.delete(BASE);
	}

	static List<HostileRequest> rows() {
		return HostileRequest.load();
	}

	@Test
	void tableHasAtLeastOneHundredRows() {
		assertThat(rows()).hasSizeGreaterThanOrEqualTo(100);
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("rows")
	void hostileRequest(HostileRequest row) throws IOException {
		RawHttp.Response response = new RawHttp(this.port).send(row.method(), row.targetBytes(this.port));
		assertThat(response.status()).as("status of %s%n%s", row, response).isEqualTo(row.status());
		if (!row.method().equals("CONNECT")) {
			assertThat(response.status()).as("server error for %s", row).isLessThan(500);
		}
		assertThat(response.status()).as("redirect for %s", row).isNotIn(300, 301, 302, 303, 305, 307, 308);
		assertThat(response.header("Location")).as("Location header for %s", row).isNull();
		assertThat(WEBROOT.leakedSecret(response)).as("secret in the response to %s", row).isNull();
		assertThat(response.contains(PageController.NOT_FOUND_MARKER)).as("catch-all page for %s", row).isFalse();
		assertThat(response.bodyComplete()).as("complete body for %s", row).isTrue();
		if (row.status() == 200) {
			assertServedKeyAuthorization(row, response);
		}
		if (row.status() == 404) {
			assertThat(response.header("Content-Type")).as("Content-Type for %s", row).startsWith("text/plain");
			assertThat(response.header("Cache-Control")).as("Cache-Control for %s", row).isEqualTo("no-store");
		}
		if (row.status() == 405 && !row.method().equals("TRACE")) {
			assertThat(response.header("Allow")).as("Allow header for %s", row).isEqualTo("GET, HEAD");
		}
	}

	private void assertServedKeyAuthorization(HostileRequest row, RawHttp.Response response) {
		String target = new String(row.targetBytes(this.port));
		String token = WEBROOT.keyAuthorizations()
			.keySet()
			.stream()
			.filter((candidate) -> target.contains("/" + candidate))
			.reduce((first, second) -> (first.length() >= second.length()) ? first : second)
			.orElseThrow(() -> new AssertionError("Row " + row + " expects 200 but names no planted token"));
		String keyAuthorization = WEBROOT.keyAuthorizations().get(token);
		assertThat(response.header("Content-Length")).as("Content-Length for %s", row)
			.isEqualTo(Integer.toString(keyAuthorization.length()));
		String expectedBody = row.method().equals("HEAD") ? "" : keyAuthorization;
		assertThat(response.bodyText()).as("body for %s", row).isEqualTo(expectedBody);
	}

	private static Path createBase() {
		try {
			return Files.createTempDirectory("hostile-requests");
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
