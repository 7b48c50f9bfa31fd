package dev.acmechallenge.autoconfigure;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Configures an {@link InMemoryChallengeStore} when {@code acme.store=memory}.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = SharedStoreSettings.STORE_PROPERTY, havingValue = "memory")
class InMemoryChallengeStoreConfiguration {

	private static final Log logger = LogFactory.getLog(InMemoryChallengeStoreConfiguration.class);

	@Bean
	@ConditionalOnMissingBean(ChallengeStore.class)
	InMemoryChallengeStore inMemoryChallengeStore() {
		logger.info("Serving ACME challenges from an in-memory store: put tokens into the "
				+ "InMemoryChallengeStore bean");
		return new InMemoryChallengeStore();
	}

}
