package dev.acmechallenge.autoconfigure;

import java.time.Duration;

import javax.sql.DataSource;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Configures a {@link JdbcChallengeStore} on the application's {@link DataSource} when
 * {@code acme.store=jdbc}.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass(JdbcTemplate.class)
@ConditionalOnProperty(name = SharedStoreSettings.STORE_PROPERTY, havingValue = "jdbc")
class JdbcChallengeStoreConfiguration {

	private static final Log logger = LogFactory.getLog(JdbcChallengeStoreConfiguration.class);

	@Bean
	@ConditionalOnMissingBean(ChallengeStore.class)
	JdbcChallengeStore jdbcChallengeStore(AcmeChallengeProperties properties, ObjectProvider<DataSource> dataSource) {
		Duration timeout = SharedStoreSettings.storeTimeout(properties);
		String tableName = SharedStoreSettings.tableName(properties);
		DataSource database = dataSource.getIfUnique();
		if (database == null) {
			throw new InvalidConfigurationPropertyValueException(SharedStoreSettings.STORE_PROPERTY, "jdbc",
					"The JDBC store needs a single or primary DataSource bean, and there is none. Set "
							+ "spring.datasource.url with spring-boot-starter-jdbc and the database's JDBC driver on "
							+ "the classpath, or define a DataSource bean.");
		}
		boolean initializeSchema = properties.getJdbc().isInitializeSchema();
		JdbcChallengeStore store = new JdbcChallengeStore(database, tableName, timeout, initializeSchema);
		if (initializeSchema) {
			initializeSchema(store);
		}
		logger.info("Serving ACME challenges from " + store);
		return store;
	}

	/**
	 * Creates the table now, so that a missing privilege shows in the startup log. Startup goes on
	 * when the database is unreachable: the store tries again before its first statement.
	 */
	private static void initializeSchema(JdbcChallengeStore store) {
		try {
			store.initializeSchema();
		}
		catch (ChallengeStoreException ex) {
			logger.warn("Failed to create the ACME challenge table [" + store.getTableName() + "]; it will be "
					+ "created before the first lookup. Challenge requests are answered with 503 until then. "
					+ "Check the database, or create the table with " + JdbcChallengeStore.SCHEMA_SCRIPT
					+ " and set acme.jdbc.initialize-schema=false: " + ex.getMessage(), ex.getCause());
		}
	}

}
