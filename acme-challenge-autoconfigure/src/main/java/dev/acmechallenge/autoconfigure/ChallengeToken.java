package dev.acmechallenge.autoconfigure;

/**
 * Syntax of ACME HTTP-01 tokens.
 * <p>
 * RFC 8555 section 8.3 requires at least 128 bits of entropy in base64url without padding, which
 * is at least 22 characters. The upper bound of 255 keeps a token usable as a file name.
 */
public final class ChallengeToken {

	/**
	 * Minimum length of a token: 128 bits in base64url.
	 */
	public static final int MIN_LENGTH = 22;

	/**
	 * Maximum length of a token.
	 */
	public static final int MAX_LENGTH = 255;

	private ChallengeToken() {
	}

	/**
	 * Checks that a value is a token: 22 to 255 characters of the base64url alphabet.
	 * @param value the value to check, may be {@code null}
	 * @return whether the value can be an ACME token
	 */
	public static boolean isValid(String value) {
		if (value == null || value.length() < MIN_LENGTH || value.length() > MAX_LENGTH) {
			return false;
		}
		for (int i = 0; i < value.length(); i++) {
			if (!isBase64UrlCharacter(value.charAt(i))) {
				return false;
			}
		}
		return true;
	}

	static boolean isBase64UrlCharacter(char c) {
		return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
	}

	/**
	 * Escapes a value received from a client for a log line: characters outside printable ASCII
	 * become {@code \\uXXXX} and the result is cut at 80 characters.
	 * @param value the value to escape, may be {@code null}
	 * @return the escaped value
	 */
	public static String escapeForLog(String value) {
		if (value == null) {
			return "null";
		}
		int limit = Math.min(value.length(), 80);
		StringBuilder escaped = new StringBuilder(limit + 16);
		for (int i = 0; i < limit; i++) {
			char c = value.charAt(i);
			if (c >= 0x20 && c < 0x7f && c != '\\') {
				escaped.append(c);
			}
			else {
				escaped.append(String.format("\\u%04x", (int) c));
			}
		}
		if (value.length() > limit) {
			escaped.append("...(").append(value.length()).append(" chars)");
		}
		return escaped.toString();
	}

}
