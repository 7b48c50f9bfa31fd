package dev.acmechallenge.autoconfigure;

import javax.sql.DataSource;

import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * Connection settings of the PostgreSQL and Redis servers that {@code scripts/services.sh}
 * starts. A test that needs them fails with instructions when they are not set, rather than being
 * skipped.
 */
final class TestServices {

	private TestServices() {
	}

	static DataSource postgres() {
		return new DriverManagerDataSource(require("ACME_TEST_PG_URL"), require("ACME_TEST_PG_USER"),
				require("ACME_TEST_PG_PASSWORD"));
	}

	/**
	 * Returns a started connection factory; the caller destroys it.
	 */
	static LettuceConnectionFactory redis() {
		RedisStandaloneConfiguration configuration = new RedisStandaloneConfiguration(require("ACME_TEST_REDIS_HOST"),
				Integer.parseInt(require("ACME_TEST_REDIS_PORT")));
		LettuceConnectionFactory factory = new LettuceConnectionFactory(configuration);
		factory.afterPropertiesSet();
		return factory;
	}

	static String require(String name) {
		String value = System.getenv(name);
		if (value == null || value.isBlank()) {
			throw new IllegalStateException(name + " is not set. This test needs the PostgreSQL and Redis servers "
					+ "that scripts/services.sh starts: run it through scripts/test.sh, or run "
					+ "'source scripts/services.sh && start_services' in the shell that then runs Maven.");
		}
		return value;
	}

}
