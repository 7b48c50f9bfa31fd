package dev.acmechallenge.autoconfigure;

import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.data.redis.RedisConnectionFailureException;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests of {@link RedisChallengeStore} against the Redis server of {@code scripts/services.sh}.
 * Each test uses a key prefix of its own.
 */
class RedisChallengeStoreTests {

	private static final String TOKEN = "Token_0123456789abcdefghij";

	private static final String KEY_AUTHORIZATION = TOKEN + ".Thumbprint_0123456789abcdefghijklmnopqrstuv";

	private static LettuceConnectionFactory connectionFactory;

	private static StringRedisTemplate redis;

	private final String prefix = "acme-test:" + UUID.randomUUID() + ":";

	private final List<AutoCloseable> resources = new ArrayList<>();

	@BeforeAll
	static void connect() {
		connectionFactory = TestServices.redis();
		redis = new StringRedisTemplate(connectionFactory);
	}

	@AfterAll
	static void disconnect() {
		if (connectionFactory != null) {
			connectionFactory.destroy();
		}
	}

	@AfterEach
	void close() throws Exception {
		for (AutoCloseable resource : this.resources) {
			resource.close();
		}
	}

	@Test
	void findsPutToken() {
		RedisChallengeStore store = store();
		store.put(TOKEN, KEY_AUTHORIZATION, Duration.ofMinutes(5));
		assertThat(store.findKeyAuthorization(TOKEN)).contains(KEY_AUTHORIZATION);
	}

	@Test
	void otherReplicaFindsPutToken() {
		store().put(TOKEN, KEY_AUTHORIZATION, Duration.ofMinutes(5));
		assertThat(store().findKeyAuthorization(TOKEN)).contains(KEY_AUTHORIZATION);
	}

	@Test
	void putWritesOneKeyWithPrefix() {
		store().put(TOKEN, KEY_AUTHORIZATION, Duration.ofMinutes(5));
		assertThat(redis.keys(this.prefix + "*")).containsExactly(this.prefix + TOKEN);
	}

	@Test
	void putSetsTimeToLive() {
		store().put(TOKEN, KEY_AUTHORIZATION, Duration.ofMinutes(5));
		assertThat(redis.getExpire(this.prefix + TOKEN)).isBetween(240L, 300L);
	}

	@Test
	void unknownTokenIsEmpty() {
		assertThat(store().findKeyAuthorization(TOKEN)).isEmpty();
	}

	@Test
	void removedTokenIsEmpty() {
		RedisChallengeStore store = store();
		store.put(TOKEN, KEY_AUTHORIZATION, Duration.ofMinutes(5));
		store.remove(TOKEN);
		assertThat(store.findKeyAuthorization(TOKEN)).isEmpty();
	}

	@Test
	void putReplacesEarlierKeyAuthorization() {
		RedisChallengeStore store = store();
		store.put(TOKEN, KEY_AUTHORIZATION, Duration.ofMinutes(5));
		store.put(TOKEN, TOKEN + ".other", Duration.ofMinutes(5));
		assertThat(store.findKeyAuthorization(TOKEN)).contains(TOKEN + ".other");
	}

	@Test
	void keyWithOtherPrefixIsNotServed() {
		redis.opsForValue().set("other:" + TOKEN, KEY_AUTHORIZATION, Duration.ofMinutes(1));
		assertThat(store().findKeyAuthorization(TOKEN)).isEmpty();
	}

	@Test
	void valueThatIsNotKeyAuthorizationIsNotServed() {
		redis.opsForValue().set(this.prefix + TOKEN, "x".repeat(100_000), Duration.ofMinutes(1));
		assertThat(store().findKeyAuthorization(TOKEN)).isEmpty();
	}

	@Test
	void keyAuthorizationForOtherTokenIsNotServed() {
		redis.opsForValue().set(this.prefix + TOKEN, "Other_token_0123456789abcdef.thumbprint", Duration.ofMinutes(1));
		assertThat(store().findKeyAuthorization(TOKEN)).isEmpty();
	}

	@Test
	void trailingWhitespaceIsStripped() {
		redis.opsForValue().set(this.prefix + TOKEN, KEY_AUTHORIZATION + "\r\n", Duration.ofMinutes(1));
		assertThat(store().findKeyAuthorization(TOKEN)).contains(KEY_AUTHORIZATION);
	}

	@Test
	void stoppedServerFails() throws Exception {
		int port;
		try (ServerSocket socket = new ServerSocket(0)) {
			port = socket.getLocalPort();
		}
		LettuceConnectionFactory stopped = new LettuceConnectionFactory(new RedisStandaloneConfiguration("127.0.0.1", port));
		stopped.afterPropertiesSet();
		this.resources.add(stopped::destroy);
		RedisChallengeStore store = track(new RedisChallengeStore(new StringRedisTemplate(stopped), this.prefix,
				Duration.ofSeconds(10)));
		assertThatExceptionOfType(ChallengeStoreException.class).isThrownBy(() -> store.findKeyAuthorization(TOKEN))
			.withMessageStartingWith("GET of Redis key [" + this.prefix + TOKEN + "] failed")
			.withCauseInstanceOf(RedisConnectionFailureException.class);
	}

	@Test
	void emptyPrefixIsRejected() {
		assertThatIllegalArgumentException().isThrownBy(() -> new RedisChallengeStore(redis, "", Duration.ofSeconds(1)))
			.withMessage("The key prefix must not be empty");
	}

	private RedisChallengeStore store() {
		return track(new RedisChallengeStore(redis, this.prefix, Duration.ofSeconds(10)));
	}

	private RedisChallengeStore track(RedisChallengeStore store) {
		this.resources.add(store);
		return store;
	}

}
