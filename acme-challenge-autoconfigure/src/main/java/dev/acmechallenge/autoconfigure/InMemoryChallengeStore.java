package dev.acmechallenge.autoconfigure;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@link MutableChallengeStore} that keeps key authorizations in memory, for an ACME client such
 * as acme4j running inside the application. Each replica has its own entries, so this store suits
 * a single instance; use the JDBC or Redis store behind a load balancer.
 * <p>
 * Expired entries are never served; they are dropped when looked up and on every
 * {@link #put put}, so the map does not grow with tokens that are never removed.
 */
public class InMemoryChallengeStore implements MutableChallengeStore {

	private final Map<String, Entry> entries = new ConcurrentHashMap<>();

	private final Clock clock;

	/**
	 * Creates an empty store that uses the system clock.
	 */
	public InMemoryChallengeStore() {
		this(Clock.systemUTC());
	}

	/**
	 * Creates an empty store that uses the given clock for expiry.
	 * @param clock the clock
	 */
	public InMemoryChallengeStore(Clock clock) {
		this.clock = clock;
	}

	@Override
	public Optional<String> findKeyAuthorization(String token) {
		Entry entry = this.entries.get(token);
		if (entry == null) {
			return Optional.empty();
		}
		if (entry.isExpired(this.clock.instant())) {
			this.entries.remove(token, entry);
			return Optional.empty();
		}
		return Optional.of(entry.keyAuthorization());
	}

	@Override
	public void put(String token, String keyAuthorization, Duration timeToLive) {
		KeyAuthorizations.checkEntry(token, keyAuthorization, timeToLive);
		Instant now = this.clock.instant();
		this.entries.values().removeIf((entry) -> entry.isExpired(now));
		this.entries.put(token, new Entry(keyAuthorization, now.plus(timeToLive)));
	}

	@Override
	public void remove(String token) {
		this.entries.remove(token);
	}

	@Override
	public String toString() {
		return "in-memory store";
	}

	private record Entry(String keyAuthorization, Instant expiresAt) {

		boolean isExpired(Instant now) {
			return !now.isBefore(this.expiresAt);
		}

	}

}
