package dev.acmechallenge.autoconfigure;

import java.net.ServerSocket;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.Driver;

import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;
import org.springframework.jdbc.datasource.init.ResourceDatabasePopulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests of {@link JdbcChallengeStore} against the PostgreSQL server of
 * {@code scripts/services.sh}. Each test uses a table of its own.
 */
class JdbcChallengeStoreTests {

	private static final String TOKEN = "Token_0123456789abcdefghij";

	private static final String KEY_AUTHORIZATION = TOKEN + ".Thumbprint_0123456789abcdefghijklmnopqrstuv";

	private static DataSource dataSource;

	private static JdbcTemplate jdbc;

	private final String table = "acme_test_" + UUID.randomUUID().toString().replace("-", "");

	private final List<JdbcChallengeStore> stores = new ArrayList<>();

	@BeforeAll
	static void connect() {
		dataSource = TestServices.postgres();
		jdbc = new JdbcTemplate(dataSource);
	}

	@AfterEach
	void closeStores() {
		this.stores.forEach(JdbcChallengeStore::close);
	}

	@Test
	void findsPutToken() {
		JdbcChallengeStore store = store(true);
		store.put(TOKEN, KEY_AUTHORIZATION, Duration.ofMinutes(5));
		assertThat(store.findKeyAuthorization(TOKEN)).contains(KEY_AUTHORIZATION);
	}

	@Test
	void otherReplicaFindsPutToken() {
		store(true).put(TOKEN, KEY_AUTHORIZATION, Duration.ofMinutes(5));
		assertThat(store(false).findKeyAuthorization(TOKEN)).contains(KEY_AUTHORIZATION);
	}

	@Test
	void unknownTokenIsEmpty() {
		assertThat(store(true).findKeyAuthorization(TOKEN)).isEmpty();
	}

	@Test
	void removedTokenIsEmpty() {
		JdbcChallengeStore store = store(true);
		store.put(TOKEN, KEY_AUTHORIZATION, Duration.ofMinutes(5));
		store.remove(TOKEN);
		assertThat(store.findKeyAuthorization(TOKEN)).isEmpty();
	}

	@Test
	void putReplacesEarlierKeyAuthorization() {
		JdbcChallengeStore store = store(true);
		store.put(TOKEN, KEY_AUTHORIZATION, Duration.ofMinutes(5));
		store.put(TOKEN, TOKEN + ".other", Duration.ofMinutes(5));
		assertThat(store.findKeyAuthorization(TOKEN)).contains(TOKEN + ".other");
	}

	@Test
	void putSetsExpiry() {
		store(true).put(TOKEN, KEY_AUTHORIZATION, Duration.ofMinutes(5));
		Integer seconds = jdbc.queryForObject("SELECT CAST(EXTRACT(EPOCH FROM expires_at - CURRENT_TIMESTAMP) AS INTEGER) "
				+ "FROM " + this.table, Integer.class);
		assertThat(seconds).isBetween(240, 300);
	}

	@Test
	void expiredRowIsNotServed() {
		JdbcChallengeStore store = store(true);
		store.initializeSchema();
		jdbc.update("INSERT INTO " + this.table + " VALUES (?, ?, CURRENT_TIMESTAMP - INTERVAL '1 second')", TOKEN,
				KEY_AUTHORIZATION);
		assertThat(store.findKeyAuthorization(TOKEN)).isEmpty();
	}

	@Test
	void putDeletesExpiredRows() {
		JdbcChallengeStore store = store(true);
		store.initializeSchema();
		jdbc.update("INSERT INTO " + this.table + " VALUES (?, ?, CURRENT_TIMESTAMP - INTERVAL '1 second')",
				"Expired_0123456789abcdefg", "Expired_0123456789abcdefg.x");
		store.put(TOKEN, KEY_AUTHORIZATION, Duration.ofMinutes(5));
		assertThat(jdbc.queryForList("SELECT token FROM " + this.table, String.class)).containsExactly(TOKEN);
	}

	@Test
	void trailingWhitespaceIsStripped() {
		JdbcChallengeStore store = store(true);
		store.initializeSchema();
		jdbc.update("INSERT INTO " + this.table + " VALUES (?, ?, CURRENT_TIMESTAMP + INTERVAL '1 minute')", TOKEN,
				KEY_AUTHORIZATION + "\n");
		assertThat(store.findKeyAuthorization(TOKEN)).contains(KEY_AUTHORIZATION);
	}

	@Test
	void firstLookupCreatesTable() {
		store(true).findKeyAuthorization(TOKEN);
		assertThat(tableExists("public", this.table)).isTrue();
	}

	@Test
	void tableIsNotCreatedWhenDisabled() {
		JdbcChallengeStore store = store(false);
		assertThatExceptionOfType(ChallengeStoreException.class).isThrownBy(() -> store.findKeyAuthorization(TOKEN))
			.withMessageStartingWith("Query of table [" + this.table + "] failed");
	}

	@Test
	void tableInOtherSchema() {
		String schema = this.table + "_schema";
		jdbc.execute("CREATE SCHEMA " + schema);
		JdbcChallengeStore store = track(new JdbcChallengeStore(dataSource, schema + ".acme_challenge",
				Duration.ofSeconds(10), true));
		store.put(TOKEN, KEY_AUTHORIZATION, Duration.ofMinutes(5));
		assertThat(tableExists(schema, "acme_challenge")).isTrue();
	}

	/**
	 * PostgreSQL fails some concurrent CREATE TABLE IF NOT EXISTS statements for one table with a
	 * unique violation. Several rounds make it likely that at least one round hits that case.
	 */
	@Test
	void replicasCreateTableTogether() throws Exception {
		int rounds = 10;
		int replicas = 4;
		for (int round = 0; round < rounds; round++) {
			String roundTable = this.table + "_" + round;
			CyclicBarrier barrier = new CyclicBarrier(replicas);
			List<CompletableFuture<Void>> creations = new ArrayList<>();
			for (int i = 0; i < replicas; i++) {
				JdbcChallengeStore store = track(new JdbcChallengeStore(dataSource, roundTable, Duration.ofSeconds(10), true));
				creations.add(CompletableFuture.runAsync(() -> {
					await(barrier);
					store.initializeSchema();
				}));
			}
			CompletableFuture.allOf(creations.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
			assertThat(tableExists("public", roundTable)).isTrue();
		}
	}

	@Test
	void shippedSchemaScriptCreatesUsableTable() throws Exception {
		String schema = this.table + "_script";
		jdbc.execute("CREATE SCHEMA " + schema);
		try (Connection connection = dataSource.getConnection()) {
			connection.createStatement().execute("SET search_path TO " + schema);
			SingleConnectionDataSource single = new SingleConnectionDataSource(connection, true);
			new ResourceDatabasePopulator(new ClassPathResource(JdbcChallengeStore.SCHEMA_SCRIPT)).execute(single);
		}
		JdbcChallengeStore store = track(new JdbcChallengeStore(dataSource, schema + ".acme_challenge",
				Duration.ofSeconds(10), false));
		store.put(TOKEN, KEY_AUTHORIZATION, Duration.ofMinutes(5));
		assertThat(store.findKeyAuthorization(TOKEN)).contains(KEY_AUTHORIZATION);
	}

	@Test
	void lockedTableTimesOut() throws Exception {
		JdbcChallengeStore store = track(new JdbcChallengeStore(dataSource, this.table, Duration.ofMillis(500), true));
		store.initializeSchema();
		try (Connection locker = dataSource.getConnection()) {
			locker.setAutoCommit(false);
			locker.createStatement().execute("LOCK TABLE " + this.table + " IN ACCESS EXCLUSIVE MODE");
			assertThatExceptionOfType(ChallengeStoreException.class).isThrownBy(() -> store.findKeyAuthorization(TOKEN))
				.withMessage("Query of table [" + this.table + "] timed out after 500 ms, the limit set by "
						+ "acme.store-timeout");
			locker.rollback();
		}
	}

	@Test
	void stoppedServerFails() throws Exception {
		int port;
		try (ServerSocket socket = new ServerSocket(0)) {
			port = socket.getLocalPort();
		}
		DataSource stopped = new SimpleDriverDataSource(new Driver(), "jdbc:postgresql://127.0.0.1:" + port + "/acme",
				"acme", "secret");
		JdbcChallengeStore store = track(new JdbcChallengeStore(stopped, this.table, Duration.ofSeconds(10), false));
		assertThatExceptionOfType(ChallengeStoreException.class).isThrownBy(() -> store.findKeyAuthorization(TOKEN))
			.withCauseInstanceOf(CannotGetJdbcConnectionException.class);
	}

	@Test
	void invalidTableNameIsRejected() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new JdbcChallengeStore(dataSource, "acme; DROP TABLE x", Duration.ofSeconds(1), true))
			.withMessageContaining("Invalid table name [acme; DROP TABLE x]");
	}

	private JdbcChallengeStore store(boolean initializeSchema) {
		return track(new JdbcChallengeStore(dataSource, this.table, Duration.ofSeconds(10), initializeSchema));
	}

	private JdbcChallengeStore track(JdbcChallengeStore store) {
		this.stores.add(store);
		return store;
	}

	private static boolean tableExists(String schema, String table) {
		Integer count = jdbc.queryForObject(
				"SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = ? AND table_name = ?",
				Integer.class, schema, table);
		return count == 1;
	}

	private static void await(CyclicBarrier barrier) {
		try {
			barrier.await(30, TimeUnit.SECONDS);
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

}
