package dev.acmechallenge.autoconfigure;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class InMemoryChallengeStoreTests {

	private static final String TOKEN = "Token_0123456789abcdefghij";

	private static final String KEY_AUTHORIZATION = TOKEN + ".Thumbprint_0123456789abcdefghijklmnopqrstuv";

	private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));

	private final InMemoryChallengeStore store = new InMemoryChallengeStore(this.clock);

	@Test
	void findsPutToken() {
		this.store.put(TOKEN, KEY_AUTHORIZATION, Duration.ofMinutes(5));
		assertThat(this.store.findKeyAuthorization(TOKEN)).contains(KEY_AUTHORIZATION);
	}

	@Test
	void unknownTokenIsEmpty() {
		assertThat(this.store.findKeyAuthorization(TOKEN)).isEmpty();
	}

	@Test
	void removedTokenIsEmpty() {
		this.store.put(TOKEN, KEY_AUTHORIZATION, Duration.ofMinutes(5));
		this.store.remove(TOKEN);
		assertThat(this.store.findKeyAuthorization(TOKEN)).isEmpty();
	}

	@Test
	void putReplacesEarlierKeyAuthorization() {
		this.store.put(TOKEN, KEY_AUTHORIZATION, Duration.ofMinutes(5));
		this.store.put(TOKEN, TOKEN + ".other", Duration.ofMinutes(5));
		assertThat(this.store.findKeyAuthorization(TOKEN)).contains(TOKEN + ".other");
	}

	@Test
	void servedUntilJustBeforeExpiry() {
		this.store.put(TOKEN, KEY_AUTHORIZATION, Duration.ofMinutes(5));
		this.clock.advance(Duration.ofMinutes(5).minusMillis(1));
		assertThat(this.store.findKeyAuthorization(TOKEN)).contains(KEY_AUTHORIZATION);
	}

	@Test
	void expiredTokenIsEmpty() {
		this.store.put(TOKEN, KEY_AUTHORIZATION, Duration.ofMinutes(5));
		this.clock.advance(Duration.ofMinutes(5));
		assertThat(this.store.findKeyAuthorization(TOKEN)).isEmpty();
	}

	@Test
	void putDropsExpiredEntries() {
		String other = "Other_0123456789abcdefghij";
		this.store.put(TOKEN, KEY_AUTHORIZATION, Duration.ofMinutes(1));
		this.clock.advance(Duration.ofMinutes(2));
		this.store.put(other, other + ".x", Duration.ofMinutes(1));
		this.clock.set(Instant.parse("2026-01-01T00:00:00Z"));
		assertThat(this.store.findKeyAuthorization(TOKEN)).isEmpty();
	}

	@Test
	void putRejectsInvalidToken() {
		assertThatIllegalArgumentException().isThrownBy(() -> this.store.put("short", "short.x", Duration.ofMinutes(1)))
			.withMessageContaining("Invalid ACME token [short]");
	}

	@Test
	void putRejectsKeyAuthorizationOfOtherToken() {
		String other = "Other_0123456789abcdefghij";
		assertThatIllegalArgumentException().isThrownBy(() -> this.store.put(TOKEN, other + ".x", Duration.ofMinutes(1)))
			.withMessageContaining("Invalid key authorization");
	}

	@Test
	void putRejectsKeyAuthorizationWithoutThumbprint() {
		assertThatIllegalArgumentException().isThrownBy(() -> this.store.put(TOKEN, TOKEN + ".", Duration.ofMinutes(1)))
			.withMessageContaining("Invalid key authorization");
	}

	@Test
	void putRejectsKeyAuthorizationWithNewline() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> this.store.put(TOKEN, KEY_AUTHORIZATION + "\n", Duration.ofMinutes(1)))
			.withMessageContaining("Invalid key authorization");
	}

	@Test
	void putRejectsZeroTimeToLive() {
		assertThatIllegalArgumentException().isThrownBy(() -> this.store.put(TOKEN, KEY_AUTHORIZATION, Duration.ZERO))
			.withMessageContaining("Invalid time to live [PT0S]");
	}

	@Test
	void putRejectsNullTimeToLive() {
		assertThatIllegalArgumentException().isThrownBy(() -> this.store.put(TOKEN, KEY_AUTHORIZATION, null))
			.withMessageContaining("Invalid time to live [null]");
	}

	static final class MutableClock extends Clock {

		private Instant now;

		MutableClock(Instant now) {
			this.now = now;
		}

		void advance(Duration duration) {
			this.now = this.now.plus(duration);
		}

		void set(Instant now) {
			this.now = now;
		}

		@Override
		public Instant instant() {
			return this.now;
		}

		@Override
		public ZoneId getZone() {
			return ZoneOffset.UTC;
		}

		@Override
		public Clock withZone(ZoneId zone) {
			throw new UnsupportedOperationException();
		}

	}

}
