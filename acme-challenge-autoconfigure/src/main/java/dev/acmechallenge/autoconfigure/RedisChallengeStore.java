package dev.acmechallenge.autoconfigure;

import java.time.Duration;
import java.util.Optional;

import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * {@link MutableChallengeStore} backed by Redis, so that every replica of an application serves
 * the tokens that an ACME client, or one replica, wrote.
 * <p>
 * Each token is one string key, the key prefix followed by the token, whose value is the key
 * authorization. Writers give every key a time to live, so Redis drops tokens that are never
 * removed.
 * <p>
 * Every command runs on a worker thread and is abandoned after the timeout, so that a Redis
 * server that does not respond delays a challenge request by at most that long and then fails it
 * with a {@link ChallengeStoreException}.
 */
public class RedisChallengeStore implements MutableChallengeStore, AutoCloseable {

	/**
	 * Default prefix of the keys.
	 */
	public static final String DEFAULT_KEY_PREFIX = "acme:challenge:";

	private final StringRedisTemplate redisTemplate;

	private final String keyPrefix;

	private final StoreTimeLimiter timeLimiter;

	/**
	 * Creates a store that uses keys with the given prefix.
	 * @param redisTemplate the template to send commands with
	 * @param keyPrefix prefix of the key of each token
	 * @param timeout maximum time that one command may take
	 * @throws IllegalArgumentException if the prefix is empty
	 */
	public RedisChallengeStore(StringRedisTemplate redisTemplate, String keyPrefix, Duration timeout) {
		if (keyPrefix == null || keyPrefix.isEmpty()) {
			throw new IllegalArgumentException("The key prefix must not be empty");
		}
		this.redisTemplate = redisTemplate;
		this.keyPrefix = keyPrefix;
		this.timeLimiter = new StoreTimeLimiter("acme-challenge-redis-", timeout);
	}

	/**
	 * Returns the prefix of the keys.
	 * @return the key prefix
	 */
	public String getKeyPrefix() {
		return this.keyPrefix;
	}

	@Override
	public Optional<String> findKeyAuthorization(String token) {
		String key = this.keyPrefix + token;
		String keyAuthorization = this.timeLimiter.call(() -> this.redisTemplate.opsForValue().get(key),
				() -> "GET of Redis key [" + key + "]");
		return KeyAuthorizations.fromStore(token, keyAuthorization, "Redis key [" + key + "]");
	}

	@Override
	public void put(String token, String keyAuthorization, Duration timeToLive) {
		KeyAuthorizations.checkEntry(token, keyAuthorization, timeToLive);
		String key = this.keyPrefix + token;
		this.timeLimiter.call(() -> {
			this.redisTemplate.opsForValue().set(key, keyAuthorization, timeToLive);
			return null;
		}, () -> "SET of Redis key [" + key + "]");
	}

	@Override
	public void remove(String token) {
		String key = this.keyPrefix + token;
		this.timeLimiter.call(() -> this.redisTemplate.delete(key), () -> "DEL of Redis key [" + key + "]");
	}

	/**
	 * Stops the worker threads of this store.
	 */
	@Override
	public void close() {
		this.timeLimiter.close();
	}

	@Override
	public String toString() {
		return "Redis keys [" + this.keyPrefix + "<token>]";
	}

}
