package dev.acmechallenge.sample.hostile;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Web root for hostile-input tests, laid out as an ACME client leaves it, with secrets planted
 * where a path traversal would reach them:
 * <pre>
 * base/                                  secret {@value #ABOVE_SECRET_NAME}, secret.txt
 *   webroot/                             secret {@value #WEBROOT_SECRET_NAME}, .htaccess
 *     .well-known/                       secret {@value #BESIDE_SECRET_NAME}
 *       acme-challenge/                  the planted tokens, and a hidden .htaccess secret
 * </pre>
 * Secret files above the challenge directory have names that are valid tokens, so a request
 * that the server normalized into one of those directories would pass token validation. Every
 * secret contains {@link #SECRET_MARKER} and a random part that occurs nowhere else.
 */
final class HostileWebroot {

	/**
	 * Text at the start of every secret file.
	 */
	static final String SECRET_MARKER = "SECRET-";

	static final String ABOVE_SECRET_NAME = "SecretAbove_0123456789abcdef";

	static final String WEBROOT_SECRET_NAME = "SecretWebroot_0123456789abc";

	static final String BESIDE_SECRET_NAME = "SecretBeside_0123456789abcd";

	/**
	 * Token served in every test as the proof that the application still works.
	 */
	static final String CONTROL_TOKEN = "Hostile_Control_Token_0123456789";

	private static final int RANDOM_PART_LENGTH = UUID.randomUUID().toString().length();

	private static final String TOKEN_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

	private final Path base;

	private final Path webroot;

	private final Path challengeDirectory;

	private final List<String> secrets;

	private final Map<String, String> keyAuthorizations = new LinkedHashMap<>();

	private HostileWebroot(Path base) throws IOException {
		this.base = base;
		this.webroot = base.resolve("webroot");
		this.challengeDirectory = Files.createDirectories(this.webroot.resolve(".well-known/acme-challenge"));
		this.secrets = List.of(plantSecret(base, ABOVE_SECRET_NAME), plantSecret(base, "secret.txt"),
				plantSecret(this.webroot, WEBROOT_SECRET_NAME), plantSecret(this.webroot, ".htaccess"),
				plantSecret(this.webroot.resolve(".well-known"), BESIDE_SECRET_NAME),
				plantSecret(this.challengeDirectory, ".htaccess"));
		writeToken(CONTROL_TOKEN);
		writeToken(token(22));
		writeToken(token(255));
	}

	/**
	 * Creates the layout under the given directory, which must exist.
	 */
	static HostileWebroot create(Path base) {
		try {
			return new HostileWebroot(base);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * Returns a valid token of the given length whose shorter versions are its prefixes, so that
	 * {@code token(21)} is the planted {@code token(22)} less its last character.
	 */
	static String token(int length) {
		StringBuilder token = new StringBuilder(length);
		for (int i = 0; i < length; i++) {
			token.append(TOKEN_ALPHABET.charAt(i % TOKEN_ALPHABET.length()));
		}
		return token.toString();
	}

	static String keyAuthorizationFor(String token) {
		return token + ".Thumbprint_" + Integer.toHexString(token.hashCode()) + "_abcdefghijklmnopqrstuvw";
	}

	/**
	 * Writes a token file with the key authorization for the token, as an ACME client does.
	 */
	String writeToken(String token) {
		String keyAuthorization = keyAuthorizationFor(token);
		try {
			Files.writeString(this.challengeDirectory.resolve(token), keyAuthorization + "\n");
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		this.keyAuthorizations.put(token, keyAuthorization);
		return keyAuthorization;
	}

	Path base() {
		return this.base;
	}

	Path webroot() {
		return this.webroot;
	}

	Path challengeDirectory() {
		return this.challengeDirectory;
	}

	/**
	 * Returns the content of every planted secret file.
	 */
	List<String> secrets() {
		return this.secrets;
	}

	/**
	 * Returns the key authorization of each planted token.
	 */
	Map<String, String> keyAuthorizations() {
		return this.keyAuthorizations;
	}

	/**
	 * Returns the first secret that occurs in the response, or {@code null} if none does.
	 */
	String leakedSecret(RawHttp.Response response) {
		if (response.contains(SECRET_MARKER)) {
			return SECRET_MARKER;
		}
		for (String secret : this.secrets) {
			String randomPart = secret.substring(secret.length() - RANDOM_PART_LENGTH);
			if (response.contains(randomPart)) {
				return secret;
			}
		}
		return null;
	}

	/**
	 * Deletes the base directory and everything in it, without following symbolic links.
	 */
	static void delete(Path base) throws IOException {
		if (!Files.exists(base)) {
			return;
		}
		try (Stream<Path> paths = Files.walk(base)) {
			for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
				Files.deleteIfExists(path);
			}
		}
	}

	private static String plantSecret(Path directory, String name) throws IOException {
		String secret = SECRET_MARKER + name + "-" + UUID.randomUUID();
		Files.createDirectories(directory);
		Files.write(directory.resolve(name), secret.getBytes(StandardCharsets.UTF_8));
		return secret;
	}

}
