package dev.acmechallenge.sample;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Writes token files into a web root the way an ACME client in webroot mode does.
 */
final class ChallengeFiles {

	/**
	 * Path under which the application serves ACME challenges.
	 */
	static final String CHALLENGE_PATH = "/.well-known/acme-challenge/";

	private static final SecureRandom RANDOM = new SecureRandom();

	private ChallengeFiles() {
	}

	/**
	 * Returns a new token of the form ACME servers issue: 32 random bytes in base64url without
	 * padding, 43 characters.
	 */
	static String newToken() {
		byte[] bytes = new byte[32];
		RANDOM.nextBytes(bytes);
		return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
	}

	/**
	 * Returns a key authorization for a token: the token, a dot and a made-up 43-character key
	 * thumbprint.
	 */
	static String keyAuthorization(String token) {
		return token + ".Thumbprint_0123456789abcdefghijklmnopqrstuv";
	}

	static Path challengeDirectory(Path webroot) {
		return webroot.resolve(".well-known").resolve("acme-challenge");
	}

	static Path write(Path webroot, String token, String content) throws IOException {
		Path directory = Files.createDirectories(challengeDirectory(webroot));
		return Files.writeString(directory.resolve(token), content);
	}

	static void delete(Path webroot, String token) throws IOException {
		Files.delete(challengeDirectory(webroot).resolve(token));
	}

}
