package dev.acmechallenge.autoconfigure;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;

import javax.sql.DataSource;

import org.springframework.dao.DataAccessException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * {@link MutableChallengeStore} backed by one database table, so that every replica of an
 * application serves the tokens that an ACME client, or one replica, wrote.
 * <p>
 * The table has the columns {@code token} (primary key), {@code key_authorization} and
 * {@code expires_at}; {@value #SCHEMA_SCRIPT} on the classpath creates it under the default name.
 * A row is served only while {@code expires_at} is later than the database's
 * {@code CURRENT_TIMESTAMP}. The statements are standard SQL and are tested with PostgreSQL.
 * <p>
 * NOTE: {@link #put put} computes {@code expires_at} from this JVM's clock, so a clock skew
 * between the application and the database lengthens or shortens the time to live by the skew.
 * <p>
 * Every statement runs on a worker thread and is abandoned after the timeout, so that a database
 * that does not respond delays a challenge request by at most that long and then fails it with a
 * {@link ChallengeStoreException}.
 */
public class JdbcChallengeStore implements MutableChallengeStore, AutoCloseable {

	/**
	 * Default name of the table.
	 */
	public static final String DEFAULT_TABLE_NAME = "acme_challenge";

	/**
	 * Classpath location of the SQL script that creates the table under its default name.
	 */
	public static final String SCHEMA_SCRIPT = "dev/acmechallenge/autoconfigure/acme-challenge-schema.sql";

	private static final String CREATE_TABLE = """
			CREATE TABLE IF NOT EXISTS %s (
				token VARCHAR(255) NOT NULL PRIMARY KEY,
				key_authorization VARCHAR(512) NOT NULL,
				expires_at TIMESTAMP WITH TIME ZONE NOT NULL
			)""";

	private final JdbcTemplate jdbcTemplate;

	private final String tableName;

	private final StoreTimeLimiter timeLimiter;

	private volatile boolean tableReady;

	/**
	 * Creates a store for the given table.
	 * @param dataSource the database that contains the table
	 * @param tableName name of the table, optionally qualified by a schema name
	 * @param timeout maximum time that one lookup or write may take
	 * @param initializeSchema whether to create the table if it does not exist, before the first
	 * statement that uses it
	 * @throws IllegalArgumentException if the table name is not a plain SQL identifier
	 */
	public JdbcChallengeStore(DataSource dataSource, String tableName, Duration timeout, boolean initializeSchema) {
		if (!SqlIdentifier.isValidTableName(tableName)) {
			throw new IllegalArgumentException("Invalid table name [" + ChallengeToken.escapeForLog(tableName)
					+ "]: expected an unquoted SQL identifier such as " + DEFAULT_TABLE_NAME);
		}
		this.jdbcTemplate = new JdbcTemplate(dataSource);
		this.jdbcTemplate.setQueryTimeout(Math.max(1, (int) Math.ceil(timeout.toMillis() / 1000.0)));
		this.tableName = tableName;
		this.timeLimiter = new StoreTimeLimiter("acme-challenge-jdbc-", timeout);
		this.tableReady = !initializeSchema;
	}

	/**
	 * Returns the name of the table.
	 * @return the table name
	 */
	public String getTableName() {
		return this.tableName;
	}

	/**
	 * Creates the table now if it does not exist.
	 * @throws ChallengeStoreException if the table could not be created or the database did not
	 * respond in time
	 */
	public void initializeSchema() {
		this.timeLimiter.call(() -> {
			createTable();
			return null;
		}, () -> "Creation of table [" + this.tableName + "]");
	}

	@Override
	public Optional<String> findKeyAuthorization(String token) {
		String sql = "SELECT key_authorization FROM " + this.tableName
				+ " WHERE token = ? AND expires_at > CURRENT_TIMESTAMP";
		String keyAuthorization = this.timeLimiter.call(() -> {
			ensureTable();
			return this.jdbcTemplate.query(sql, (rs) -> rs.next() ? rs.getString(1) : null, token);
		}, () -> "Query of table [" + this.tableName + "]");
		return KeyAuthorizations.fromStore(token, keyAuthorization,
				"the row of table [" + this.tableName + "] for token [" + token + "]");
	}

	@Override
	public void put(String token, String keyAuthorization, Duration timeToLive) {
		KeyAuthorizations.checkEntry(token, keyAuthorization, timeToLive);
		OffsetDateTime expiresAt = OffsetDateTime.ofInstant(Instant.now().plus(timeToLive), ZoneOffset.UTC);
		this.timeLimiter.call(() -> {
			ensureTable();
			deleteExpired();
			upsert(token, keyAuthorization, expiresAt);
			return null;
		}, () -> "Write to table [" + this.tableName + "]");
	}

	@Override
	public void remove(String token) {
		this.timeLimiter.call(() -> {
			ensureTable();
			this.jdbcTemplate.update("DELETE FROM " + this.tableName + " WHERE token = ?", token);
			return null;
		}, () -> "Delete from table [" + this.tableName + "]");
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
		return "JDBC table [" + this.tableName + "]";
	}

	private void ensureTable() {
		if (!this.tableReady) {
			createTable();
		}
	}

	private void createTable() {
		try {
			this.jdbcTemplate.execute(CREATE_TABLE.formatted(this.tableName));
		}
		catch (DataAccessException ex) {
			// Replicas that start together race to create the table, and PostgreSQL can fail the
			// losers' CREATE TABLE IF NOT EXISTS with a unique violation even though the table now
			// exists.
			if (!tableExists()) {
				throw ex;
			}
		}
		this.tableReady = true;
	}

	private boolean tableExists() {
		try {
			this.jdbcTemplate.queryForObject("SELECT COUNT(*) FROM " + this.tableName + " WHERE 1 = 0", Integer.class);
			return true;
		}
		catch (DataAccessException ex) {
			return false;
		}
	}

	private void deleteExpired() {
		this.jdbcTemplate.update("DELETE FROM " + this.tableName + " WHERE expires_at <= CURRENT_TIMESTAMP");
	}

	private void upsert(String token, String keyAuthorization, OffsetDateTime expiresAt) {
		String update = "UPDATE " + this.tableName + " SET key_authorization = ?, expires_at = ? WHERE token = ?";
		if (this.jdbcTemplate.update(update, keyAuthorization, expiresAt, token) > 0) {
			return;
		}
		try {
			this.jdbcTemplate.update("INSERT INTO " + this.tableName
					+ " (token, key_authorization, expires_at) VALUES (?, ?, ?)", token, keyAuthorization, expiresAt);
		}
		catch (DuplicateKeyException ex) {
			// Another writer inserted the same token since the update above.
			this.jdbcTemplate.update(update, keyAuthorization, expiresAt, token);
		}
	}

}
