package dev.acmechallenge.autoconfigure;

import java.time.Duration;

import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;

/**
 * Checks the properties of the JDBC and Redis challenge stores. Invalid values fail startup with
 * an exception that Spring Boot's failure analyzers report with the property, the value and the
 * fix.
 */
final class SharedStoreSettings {

	static final String STORE_PROPERTY = AcmeChallengeProperties.PREFIX + ".store";

	static final String STORE_TIMEOUT_PROPERTY = AcmeChallengeProperties.PREFIX + ".store-timeout";

	static final String TABLE_NAME_PROPERTY = AcmeChallengeProperties.PREFIX + ".jdbc.table-name";

	static final String KEY_PREFIX_PROPERTY = AcmeChallengeProperties.PREFIX + ".redis.key-prefix";

	private SharedStoreSettings() {
	}

	/**
	 * Checks {@code acme.store-timeout}.
	 * @return the timeout, which is positive
	 */
	static Duration storeTimeout(AcmeChallengeProperties properties) {
		Duration timeout = properties.getStoreTimeout();
		if (timeout == null || timeout.isNegative() || timeout.isZero()) {
			throw new InvalidConfigurationPropertyValueException(STORE_TIMEOUT_PROPERTY, timeout,
					"The timeout of a store lookup must be positive. Remove the property to use the default of 2s, "
							+ "or set a duration such as 2s.");
		}
		return timeout;
	}

	/**
	 * Checks {@code acme.jdbc.table-name}.
	 * @return the table name, which is a plain SQL identifier
	 */
	static String tableName(AcmeChallengeProperties properties) {
		String tableName = properties.getJdbc().getTableName();
		if (!SqlIdentifier.isValidTableName(tableName)) {
			throw new InvalidConfigurationPropertyValueException(TABLE_NAME_PROPERTY, tableName,
					"The table name is written into SQL statements unquoted, so it must be a letter or underscore "
							+ "followed by up to 62 letters, digits or underscores, optionally preceded by a schema "
							+ "name and a dot. Set a name such as acme_challenge or myschema.acme_challenge.");
		}
		return tableName;
	}

	/**
	 * Checks {@code acme.redis.key-prefix}.
	 * @return the key prefix, which is not empty
	 */
	static String keyPrefix(AcmeChallengeProperties properties) {
		String keyPrefix = properties.getRedis().getKeyPrefix();
		if (keyPrefix == null || keyPrefix.isEmpty()) {
			throw new InvalidConfigurationPropertyValueException(KEY_PREFIX_PROPERTY, keyPrefix,
					"Without a prefix, every key in the Redis database that looks like a token would be served. "
							+ "Remove the property to use the default of acme:challenge:, or set another prefix.");
		}
		return keyPrefix;
	}

}
