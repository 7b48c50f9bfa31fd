package dev.acmechallenge.autoconfigure;

import java.time.Duration;
import java.util.Optional;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Checks of the entries written to a {@link MutableChallengeStore}.
 * <p>
 * RFC 8555 section 8.1 defines a key authorization as the token, a dot and the base64url-encoded
 * SHA-256 thumbprint of the account key (43 characters). Up to 128 characters are accepted after
 * the dot so that a client using another digest is not rejected.
 */
final class KeyAuthorizations {

	static final int MAX_THUMBPRINT_LENGTH = 128;

	private static final Log logger = LogFactory.getLog(KeyAuthorizations.class);

	private static final RateLimitedLog invalidValueLog = new RateLimitedLog(logger, 10, Duration.ofMinutes(1));

	private KeyAuthorizations() {
	}

	/**
	 * Checks the arguments of {@link MutableChallengeStore#put(String, String, Duration)}.
	 * @throws IllegalArgumentException naming the invalid argument
	 */
	static void checkEntry(String token, String keyAuthorization, Duration timeToLive) {
		if (!ChallengeToken.isValid(token)) {
			throw new IllegalArgumentException("Invalid ACME token [" + ChallengeToken.escapeForLog(token)
					+ "]: expected " + ChallengeToken.MIN_LENGTH + " to " + ChallengeToken.MAX_LENGTH
					+ " characters of A-Z, a-z, 0-9, '-' and '_'");
		}
		if (!isKeyAuthorizationFor(token, keyAuthorization)) {
			throw new IllegalArgumentException("Invalid key authorization [" + ChallengeToken.escapeForLog(keyAuthorization)
					+ "] for token [" + token + "]: expected the token, a dot and the account key thumbprint");
		}
		if (timeToLive == null || timeToLive.isNegative() || timeToLive.isZero()) {
			throw new IllegalArgumentException("Invalid time to live [" + timeToLive + "]: must be positive");
		}
	}

	/**
	 * Checks a value read from a shared store before it is served. Anything that is not a key
	 * authorization for the token, such as a value written by another program under the same key,
	 * is not served, so that a store cannot be used to serve arbitrary or unbounded content.
	 * @param token the token that was looked up
	 * @param value the value read, or {@code null} if there was none
	 * @param location where the value was read, for the WARN line
	 * @return the key authorization without trailing whitespace, or empty
	 */
	static Optional<String> fromStore(String token, String value, String location) {
		if (value == null) {
			return Optional.empty();
		}
		String keyAuthorization = value.stripTrailing();
		if (!isKeyAuthorizationFor(token, keyAuthorization)) {
			invalidValueLog.warn(() -> "Not serving the value of " + location + ": it is not a key authorization for "
					+ "token [" + token + "] (expected the token, a dot and at most " + MAX_THUMBPRINT_LENGTH
					+ " base64url characters of account key thumbprint)");
			return Optional.empty();
		}
		return Optional.of(keyAuthorization);
	}

	private static boolean isKeyAuthorizationFor(String token, String keyAuthorization) {
		if (keyAuthorization == null || !keyAuthorization.startsWith(token + ".")) {
			return false;
		}
		String thumbprint = keyAuthorization.substring(token.length() + 1);
		if (thumbprint.isEmpty() || thumbprint.length() > MAX_THUMBPRINT_LENGTH) {
			return false;
		}
		for (int i = 0; i < thumbprint.length(); i++) {
			if (!ChallengeToken.isBase64UrlCharacter(thumbprint.charAt(i))) {
				return false;
			}
		}
		return true;
	}

}
