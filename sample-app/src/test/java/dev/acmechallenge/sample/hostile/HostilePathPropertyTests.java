package dev.acmechallenge.sample.hostile;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

import dev.acmechallenge.autoconfigure.AcmeChallengeFilter;
import dev.acmechallenge.sample.PageController;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Property tests that send random request targets under the challenge path as raw bytes to the
 * sample application. Targets are built from pieces that trip path handling: dot segments in
 * several encodings, separators, escapes, path parameters, non-ASCII and control characters,
 * planted tokens and the names of planted secrets.
 * <p>
 * Whatever the target, the status is 200, 400 or 404. It is never a redirect, a secret or the
 * application's catch-all page, and it is 200 only for the exact path of a planted token.
 */
class HostilePathPropertyTests {

	private static final String PREFIX = AcmeChallengeFilter.CHALLENGE_PATH;

	private static final List<String> TRICKY_PIECES = List.of("/", "//", "..", ".", "../", "./", "%2e", "%2E", "%2e%2e",
			"%2f", "%2F", "%5c", "%5C", "\\", "%00", "%0d%0a", "%09", ";", ";jsessionid=x", "..;", "%25", "%252e",
			"%252f", "%255c", "%c0%ae", "%c0%af", "%ef%bc%8e", "%zz", "%", "?", "?x=1", "#", ":", "::$DATA", "file:",
			"classpath:", "url:", "~", " ", "+", "é", "．", "\u202e", "CON", ".htaccess", "%3f", "%23", "%20", "*");

	private static Path base;

	private static HostileWebroot webroot;

	private static SampleServer server;

	@BeforeContainer
	static void startServer() throws IOException {
		base = Files.createTempDirectory("hostile-paths");
		webroot = HostileWebroot.create(base);
		server = SampleServer.start(Map.of("acme.webroot", webroot.webroot().toString()));
	}

	@AfterContainer
	static void stopServer() throws IOException {
		if (server != null) {
			server.close();
		}
		HostileWebroot.delete(base);
	}

	@Property(tries = 400)
	void randomTargetGetsDefinedAnswer(@ForAll("challengeTargets") String target) throws IOException {
		RawHttp.Response response = server.http().send("GET", target.getBytes(StandardCharsets.UTF_8));
		assertThat(response.status()).as("status of %s%n%s", target, response).isIn(200, 400, 404);
		assertThat(response.header("Location")).as("Location header for %s", target).isNull();
		assertThat(webroot.leakedSecret(response)).as("secret in the response to %s", target).isNull();
		assertThat(response.contains(PageController.NOT_FOUND_MARKER)).as("catch-all page for %s", target).isFalse();
		assertThat(response.bodyComplete()).as("complete body for %s", target).isTrue();
		String token = plantedTokenAt(target);
		if (response.status() == 200) {
			assertThat(token).as("token served for %s", target).isNotNull();
			assertThat(response.bodyText()).as("body for %s", target)
				.isEqualTo(webroot.keyAuthorizations().get(token));
		}
		if (token != null && !target.contains("?")) {
			assertThat(response.status()).as("status of the exact path of a planted token %s", target).isEqualTo(200);
		}
	}

	/**
	 * Returns the planted token whose exact path the target is, ignoring a query string.
	 */
	private static String plantedTokenAt(String target) {
		int query = target.indexOf('?');
		String path = (query >= 0) ? target.substring(0, query) : target;
		return webroot.keyAuthorizations()
			.keySet()
			.stream()
			.filter((token) -> path.equals(PREFIX + "/" + token))
			.findFirst()
			.orElse(null);
	}

	@Provide
	Arbitrary<String> challengeTargets() {
		Arbitrary<String> names = Arbitraries.of(HostileWebroot.CONTROL_TOKEN, HostileWebroot.token(22),
				HostileWebroot.token(21), HostileWebroot.ABOVE_SECRET_NAME, HostileWebroot.WEBROOT_SECRET_NAME,
				HostileWebroot.BESIDE_SECRET_NAME, "secret.txt", "about", "acme-challenge", ".well-known");
		Arbitrary<String> printable = Arbitraries.strings().withCharRange('!', '~').ofMaxLength(6);
		Arbitrary<String> controls = Arbitraries.chars()
			.range('\u0000', '\u001f')
			.filter((c) -> c != '\r' && c != '\n')
			.map(String::valueOf);
		Arbitrary<String> piece = Arbitraries.frequencyOf(
				Tuple.of(5, Arbitraries.of(TRICKY_PIECES)), Tuple.of(3, names),
				Tuple.of(2, printable), Tuple.of(1, controls));
		Arbitrary<String> tail = piece.list().ofMaxSize(6).map((pieces) -> String.join("", pieces));
		Arbitrary<String> start = Arbitraries.of("/", "", "/", "%2f", ";", "\\", ".", "/../");
		return Combinators.combine(start, tail).as((first, rest) -> PREFIX + first + rest);
	}

}
