package dev.acmechallenge.autoconfigure;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * Web root with one challenge token, shared by the tests that start a web server.
 */
final class TestWebroot {

	static final String TOKEN = "ServerTestToken_0123456789abcdef";

	static final String KEY_AUTHORIZATION = TOKEN + ".Thumbprint_0123456789abcdefghijklmnopqrstuvw";

	static final String CHALLENGE_URI = AcmeChallengeFilter.CHALLENGE_PATH + "/" + TOKEN;

	/**
	 * Well-formed token that has no file in the web root.
	 */
	static final String MISSING_CHALLENGE_URI = AcmeChallengeFilter.CHALLENGE_PATH + "/Missing_0123456789abcdefghij";

	private static final Path WEBROOT = create();

	private TestWebroot() {
	}

	static Path path() {
		return WEBROOT;
	}

	static void register(DynamicPropertyRegistry registry) {
		registry.add("acme.webroot", WEBROOT::toString);
	}

	private static Path create() {
		try {
			Path webroot = Files.createTempDirectory("acme-webroot");
			Path challenges = Files.createDirectories(webroot.resolve(".well-known/acme-challenge"));
			Files.writeString(challenges.resolve(TOKEN), KEY_AUTHORIZATION + "\n", StandardCharsets.US_ASCII);
			return webroot;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
