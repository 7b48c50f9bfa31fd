package dev.acmechallenge.autoconfigure;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link ChallengeToken}.
 */
class ChallengeTokenTests {

	private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

	@Test
	void rejectsTwentyOneCharacters() {
		assertThat(ChallengeToken.isValid("a".repeat(21))).isFalse();
	}

	@Test
	void acceptsTwentyTwoCharacters() {
		assertThat(ChallengeToken.isValid("a".repeat(22))).isTrue();
	}

	@Test
	void acceptsTwoHundredFiftyFiveCharacters() {
		assertThat(ChallengeToken.isValid("a".repeat(255))).isTrue();
	}

	@Test
	void rejectsTwoHundredFiftySixCharacters() {
		assertThat(ChallengeToken.isValid("a".repeat(256))).isFalse();
	}

	@Test
	void acceptsWholeBase64UrlAlphabet() {
		assertThat(ChallengeToken.isValid(ALPHABET)).isTrue();
	}

	@Test
	void rejectsNull() {
		assertThat(ChallengeToken.isValid(null)).isFalse();
	}

	@Test
	void rejectsEmpty() {
		assertThat(ChallengeToken.isValid("")).isFalse();
	}

	@ParameterizedTest
	@ValueSource(strings = {
			// standard base64 characters and padding
			"+", "/", "=",
			// path syntax
			".", "%", ";", "?", "#", "\\", ":",
			// whitespace and control characters
			" ", "\t", "\n", "\r", "\u0000", "\u007f",
			// other printable ASCII
			"!", "~", "*", "'", "\"", "<", ">", "@", "$", "&", "(", "[", "{", "|", "^", "`", ",",
			// outside ASCII: accented letter, full-width digit, fraction slash, emoji
			"\u00e9", "\uff10", "\u2044", "\ud83d\ude00" })
	void rejectsCharacterOutsideBase64Url(String character) {
		String token = "a".repeat(11) + character + "a".repeat(11);
		assertThat(ChallengeToken.isValid(token)).isFalse();
	}

	@Test
	void escapesControlCharacters() {
		assertThat(ChallengeToken.escapeForLog("a\r\nb\u0000c\u001bd\u007fe"))
			.isEqualTo("a\\u000d\\u000ab\\u0000c\\u001bd\\u007fe");
	}

	@Test
	void escapesBackslash() {
		assertThat(ChallengeToken.escapeForLog("a\\u000ab")).isEqualTo("a\\u005cu000ab");
	}

	@Test
	void escapesNonAscii() {
		assertThat(ChallengeToken.escapeForLog("\u00e9\ud83d\ude00")).isEqualTo("\\u00e9\\ud83d\\ude00");
	}

	@Test
	void keepsPrintableAscii() {
		assertThat(ChallengeToken.escapeForLog("GET /x?y=[z] ~")).isEqualTo("GET /x?y=[z] ~");
	}

	@Test
	void escapesNull() {
		assertThat(ChallengeToken.escapeForLog(null)).isEqualTo("null");
	}

	@Test
	void keepsEightyCharacters() {
		String value = "a".repeat(80);
		assertThat(ChallengeToken.escapeForLog(value)).isEqualTo(value);
	}

	@Test
	void cutsLongValue() {
		String value = "a".repeat(80) + "bcd";
		assertThat(ChallengeToken.escapeForLog(value)).isEqualTo("a".repeat(80) + "...(83 chars)");
	}

	@Test
	void cutsLongValueBeforeEscaping() {
		String value = "\n".repeat(5000);
		assertThat(ChallengeToken.escapeForLog(value)).isEqualTo("\\u000a".repeat(80) + "...(5000 chars)");
	}

}
