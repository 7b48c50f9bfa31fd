package dev.acmechallenge.autoconfigure;

import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Fails startup with a message naming the missing library when {@code acme.store} selects the JDBC
 * or Redis store but its library is not on the classpath, so that no store was configured.
 * Imported after the store configurations.
 */
final class MissingStoreLibraryConfiguration {

	private MissingStoreLibraryConfiguration() {
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnProperty(name = SharedStoreSettings.STORE_PROPERTY, havingValue = "jdbc")
	static class Jdbc {

		@Bean
		@ConditionalOnMissingBean(ChallengeStore.class)
		ChallengeStore jdbcChallengeStore() {
			throw new InvalidConfigurationPropertyValueException(SharedStoreSettings.STORE_PROPERTY, "jdbc",
					"The JDBC store needs spring-jdbc, which is not on the classpath. Add "
							+ "spring-boot-starter-jdbc and the database's JDBC driver.");
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnProperty(name = SharedStoreSettings.STORE_PROPERTY, havingValue = "redis")
	static class Redis {

		@Bean
		@ConditionalOnMissingBean(ChallengeStore.class)
		ChallengeStore redisChallengeStore() {
			throw new InvalidConfigurationPropertyValueException(SharedStoreSettings.STORE_PROPERTY, "redis",
					"The Redis store needs Spring Data Redis, which is not on the classpath. Add "
							+ "spring-boot-starter-data-redis.");
		}

	}

}
