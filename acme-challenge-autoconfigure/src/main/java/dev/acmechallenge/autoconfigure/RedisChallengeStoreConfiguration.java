package dev.acmechallenge.autoconfigure;

import java.time.Duration;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * Configures a {@link RedisChallengeStore} on the application's Redis connection when
 * {@code acme.store=redis}.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass(StringRedisTemplate.class)
@ConditionalOnProperty(name = SharedStoreSettings.STORE_PROPERTY, havingValue = "redis")
class RedisChallengeStoreConfiguration {

	private static final Log logger = LogFactory.getLog(RedisChallengeStoreConfiguration.class);

	@Bean
	@ConditionalOnMissingBean(ChallengeStore.class)
	RedisChallengeStore redisChallengeStore(AcmeChallengeProperties properties,
			ObjectProvider<StringRedisTemplate> redisTemplate, ObjectProvider<RedisConnectionFactory> connectionFactory) {
		Duration timeout = SharedStoreSettings.storeTimeout(properties);
		String keyPrefix = SharedStoreSettings.keyPrefix(properties);
		StringRedisTemplate template = redisTemplate.getIfUnique(() -> createTemplate(connectionFactory));
		RedisChallengeStore store = new RedisChallengeStore(template, keyPrefix, timeout);
		logger.info("Serving ACME challenges from " + store);
		return store;
	}

	private static StringRedisTemplate createTemplate(ObjectProvider<RedisConnectionFactory> connectionFactory) {
		RedisConnectionFactory factory = connectionFactory.getIfUnique();
		if (factory == null) {
			throw new InvalidConfigurationPropertyValueException(SharedStoreSettings.STORE_PROPERTY, "redis",
					"The Redis store needs a StringRedisTemplate or RedisConnectionFactory bean, and there is none. "
							+ "Add spring-boot-starter-data-redis and set spring.data.redis.host, or define a "
							+ "RedisConnectionFactory bean.");
		}
		return new StringRedisTemplate(factory);
	}

}
