package dev.acmechallenge.autoconfigure;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests of the scripts in the top-level {@code hooks} folder: what they write with psql and
 * redis-cli must be what the JDBC and Redis stores serve. Uses the servers of
 * {@code scripts/services.sh}.
 */
class HookScriptTests {

	private static final String TOKEN = "Hook_0123456789abcdefghijk";

	private static final String KEY_AUTHORIZATION = TOKEN + ".Thumbprint_0123456789abcdefghijklmnopqrstuv";

	private static final String OTHER_TOKEN = "Hook2_0123456789abcdefghij";

	private static Path hooks;

	private static LettuceConnectionFactory redisConnectionFactory;

	private final String table = "acme_hook_" + UUID.randomUUID().toString().replace("-", "");

	private final String keyPrefix = "acme-hook-test:" + UUID.randomUUID() + ":";

	private JdbcChallengeStore jdbcStore;

	private RedisChallengeStore redisStore;

	@BeforeAll
	static void locateHooks() {
		Path directory = Path.of("").toAbsolutePath();
		while (directory != null && !Files.isRegularFile(directory.resolve("hooks/challenge-store.sh"))) {
			directory = directory.getParent();
		}
		assertThat(directory).as("directory above the working directory that contains hooks/").isNotNull();
		hooks = directory.resolve("hooks");
		redisConnectionFactory = TestServices.redis();
	}

	@AfterAll
	static void disconnect() {
		if (redisConnectionFactory != null) {
			redisConnectionFactory.destroy();
		}
	}

	@AfterEach
	void closeStores() {
		if (this.jdbcStore != null) {
			this.jdbcStore.close();
		}
		if (this.redisStore != null) {
			this.redisStore.close();
		}
	}

	@Test
	void certbotAuthHookPutsIntoTable() throws Exception {
		JdbcChallengeStore store = jdbcStore();
		Result result = run(jdbcEnvironment(), "certbot-auth.sh", Map.of("CERTBOT_TOKEN", TOKEN, "CERTBOT_VALIDATION",
				KEY_AUTHORIZATION, "CERTBOT_DOMAIN", "app.test"));
		assertThat(result.exitCode()).as(result.output()).isZero();
		assertThat(store.findKeyAuthorization(TOKEN)).contains(KEY_AUTHORIZATION);
	}

	@Test
	void certbotCleanupHookRemovesFromTable() throws Exception {
		JdbcChallengeStore store = jdbcStore();
		store.put(TOKEN, KEY_AUTHORIZATION, Duration.ofMinutes(5));
		Result result = run(jdbcEnvironment(), "certbot-cleanup.sh", Map.of("CERTBOT_TOKEN", TOKEN));
		assertThat(result.exitCode()).as(result.output()).isZero();
		assertThat(store.findKeyAuthorization(TOKEN)).isEmpty();
	}

	@Test
	void hookSetsExpiryInTable() throws Exception {
		JdbcChallengeStore store = jdbcStore();
		Map<String, String> environment = jdbcEnvironment();
		environment.put("ACME_CHALLENGE_TTL", "120");
		run(environment, "challenge-store.sh", Map.of(), "put", TOKEN, KEY_AUTHORIZATION);
		Integer seconds = new JdbcTemplate(TestServices.postgres()).queryForObject(
				"SELECT CAST(EXTRACT(EPOCH FROM expires_at - CURRENT_TIMESTAMP) AS INTEGER) FROM " + this.table,
				Integer.class);
		assertThat(seconds).isBetween(60, 120);
		assertThat(store.findKeyAuthorization(TOKEN)).contains(KEY_AUTHORIZATION);
	}

	@Test
	void certbotAuthHookPutsIntoRedis() throws Exception {
		RedisChallengeStore store = redisStore();
		Result result = run(redisEnvironment(), "certbot-auth.sh", Map.of("CERTBOT_TOKEN", TOKEN, "CERTBOT_VALIDATION",
				KEY_AUTHORIZATION));
		assertThat(result.exitCode()).as(result.output()).isZero();
		assertThat(store.findKeyAuthorization(TOKEN)).contains(KEY_AUTHORIZATION);
	}

	@Test
	void hookSetsTimeToLiveInRedis() throws Exception {
		redisStore();
		Map<String, String> environment = redisEnvironment();
		environment.put("ACME_CHALLENGE_TTL", "120");
		run(environment, "challenge-store.sh", Map.of(), "put", TOKEN, KEY_AUTHORIZATION);
		Long seconds = new StringRedisTemplate(redisConnectionFactory).getExpire(this.keyPrefix + TOKEN);
		assertThat(seconds).isBetween(60L, 120L);
	}

	@Test
	void certbotCleanupHookRemovesFromRedis() throws Exception {
		RedisChallengeStore store = redisStore();
		store.put(TOKEN, KEY_AUTHORIZATION, Duration.ofMinutes(5));
		Result result = run(redisEnvironment(), "certbot-cleanup.sh", Map.of("CERTBOT_TOKEN", TOKEN));
		assertThat(result.exitCode()).as(result.output()).isZero();
		assertThat(store.findKeyAuthorization(TOKEN)).isEmpty();
	}

	@Test
	void dehydratedHookPutsEveryTriple() throws Exception {
		RedisChallengeStore store = redisStore();
		Result result = run(redisEnvironment(), "dehydrated-hook.sh", Map.of(), "deploy_challenge", "app.test", TOKEN,
				KEY_AUTHORIZATION, "www.app.test", OTHER_TOKEN, OTHER_TOKEN + ".x");
		assertThat(result.exitCode()).as(result.output()).isZero();
		assertThat(store.findKeyAuthorization(TOKEN)).contains(KEY_AUTHORIZATION);
		assertThat(store.findKeyAuthorization(OTHER_TOKEN)).contains(OTHER_TOKEN + ".x");
	}

	@Test
	void dehydratedHookCleansChallenge() throws Exception {
		JdbcChallengeStore store = jdbcStore();
		store.put(TOKEN, KEY_AUTHORIZATION, Duration.ofMinutes(5));
		Result result = run(jdbcEnvironment(), "dehydrated-hook.sh", Map.of(), "clean_challenge", "app.test", TOKEN,
				KEY_AUTHORIZATION);
		assertThat(result.exitCode()).as(result.output()).isZero();
		assertThat(store.findKeyAuthorization(TOKEN)).isEmpty();
	}

	@Test
	void dehydratedHookIgnoresOtherEvents() throws Exception {
		Result result = run(Map.of(), "dehydrated-hook.sh", Map.of(), "deploy_cert", "app.test", "key.pem", "cert.pem");
		assertThat(result.exitCode()).as(result.output()).isZero();
	}

	@Test
	void invalidKeyAuthorizationIsRejected() throws Exception {
		JdbcChallengeStore store = jdbcStore();
		Result result = run(jdbcEnvironment(), "challenge-store.sh", Map.of(), "put", TOKEN, "'); DROP TABLE x; --");
		assertThat(result.exitCode()).isEqualTo(1);
		assertThat(result.output()).contains("invalid key authorization");
		assertThat(store.findKeyAuthorization(TOKEN)).isEmpty();
	}

	@Test
	void invalidTableNameIsRejected() throws Exception {
		Map<String, String> environment = jdbcEnvironment();
		environment.put("ACME_JDBC_TABLENAME", "acme;drop");
		Result result = run(environment, "challenge-store.sh", Map.of(), "put", TOKEN, KEY_AUTHORIZATION);
		assertThat(result.exitCode()).isEqualTo(1);
		assertThat(result.output()).contains("invalid ACME_JDBC_TABLENAME [acme;drop]");
	}

	@Test
	void missingStoreIsRejected() throws Exception {
		Result result = run(Map.of(), "challenge-store.sh", Map.of(), "put", TOKEN, KEY_AUTHORIZATION);
		assertThat(result.exitCode()).isEqualTo(1);
		assertThat(result.output()).contains("ACME_STORE is []: set it to jdbc or redis");
	}

	@Test
	void unreachableRedisFails() throws Exception {
		Map<String, String> environment = redisEnvironment();
		environment.put("REDIS_PORT", "1");
		Result result = run(environment, "challenge-store.sh", Map.of(), "put", TOKEN, KEY_AUTHORIZATION);
		assertThat(result.exitCode()).isNotZero();
		assertThat(result.output()).contains("Could not connect to Redis");
	}

	@Test
	void invalidRedisDatabaseFails() throws Exception {
		Map<String, String> environment = redisEnvironment();
		environment.put("REDIS_DB", "99");
		Result result = run(environment, "challenge-store.sh", Map.of(), "put", TOKEN, KEY_AUTHORIZATION);
		assertThat(result.exitCode()).isNotZero();
		assertThat(result.output()).contains("SELECT 99 failed");
	}

	private JdbcChallengeStore jdbcStore() {
		this.jdbcStore = new JdbcChallengeStore(TestServices.postgres(), this.table, Duration.ofSeconds(10), true);
		this.jdbcStore.initializeSchema();
		return this.jdbcStore;
	}

	private RedisChallengeStore redisStore() {
		this.redisStore = new RedisChallengeStore(new StringRedisTemplate(redisConnectionFactory), this.keyPrefix,
				Duration.ofSeconds(10));
		return this.redisStore;
	}

	private Map<String, String> jdbcEnvironment() {
		Map<String, String> environment = new HashMap<>();
		environment.put("ACME_STORE", "jdbc");
		environment.put("PGHOST", TestServices.require("ACME_TEST_PG_HOST"));
		environment.put("PGPORT", TestServices.require("ACME_TEST_PG_PORT"));
		environment.put("PGDATABASE", TestServices.require("ACME_TEST_PG_DATABASE"));
		environment.put("PGUSER", TestServices.require("ACME_TEST_PG_USER"));
		environment.put("PGPASSWORD", TestServices.require("ACME_TEST_PG_PASSWORD"));
		environment.put("ACME_JDBC_TABLENAME", this.table);
		return environment;
	}

	private Map<String, String> redisEnvironment() {
		Map<String, String> environment = new HashMap<>();
		environment.put("ACME_STORE", "redis");
		environment.put("REDIS_HOST", TestServices.require("ACME_TEST_REDIS_HOST"));
		environment.put("REDIS_PORT", TestServices.require("ACME_TEST_REDIS_PORT"));
		environment.put("ACME_REDIS_KEYPREFIX", this.keyPrefix);
		return environment;
	}

	/**
	 * Runs a hook script with a clean environment: PATH, the given settings and the variables
	 * that the ACME client would set.
	 */
	private static Result run(Map<String, String> settings, String script, Map<String, String> clientVariables,
			String... arguments) throws IOException, InterruptedException {
		ProcessBuilder builder = new ProcessBuilder();
		builder.command().add(hooks.resolve(script).toString());
		builder.command().addAll(List.of(arguments));
		builder.environment().clear();
		builder.environment().put("PATH", System.getenv("PATH"));
		builder.environment().putAll(settings);
		builder.environment().putAll(clientVariables);
		builder.redirectErrorStream(true);
		Process process = builder.start();
		process.getOutputStream().close();
		String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("hook finished").isTrue();
		return new Result(process.exitValue(), output);
	}

	private record Result(int exitCode, String output) {

	}

}
