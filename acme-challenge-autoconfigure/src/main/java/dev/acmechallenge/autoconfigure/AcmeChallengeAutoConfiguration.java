package dev.acmechallenge.autoconfigure;

import java.nio.file.Path;

import jakarta.servlet.DispatcherType;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.AnyNestedCondition;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication.Type;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Import;
import org.springframework.web.servlet.resource.ResourceHttpRequestHandler;

import dev.acmechallenge.autoconfigure.AcmeChallengeProperties.MissPolicy;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration Auto-configuration} that
 * answers ACME HTTP-01 challenges at {@code /.well-known/acme-challenge/{token}} in a servlet web
 * application, ahead of the application's own filters, servlets and handlers.
 */
@AutoConfiguration
@ConditionalOnWebApplication(type = Type.SERVLET)
@ConditionalOnClass(ResourceHttpRequestHandler.class)
@ConditionalOnBooleanProperty(name = "acme.enabled", matchIfMissing = true)
@Conditional(AcmeChallengeAutoConfiguration.ChallengeSourceCondition.class)
@EnableConfigurationProperties(AcmeChallengeProperties.class)
@Import({ InMemoryChallengeStoreConfiguration.class, JdbcChallengeStoreConfiguration.class,
		RedisChallengeStoreConfiguration.class, MissingStoreLibraryConfiguration.Jdbc.class,
		MissingStoreLibraryConfiguration.Redis.class })
public final class AcmeChallengeAutoConfiguration {

	/**
	 * Name of the filter registration bean; define a bean of this name to replace it.
	 */
	public static final String FILTER_REGISTRATION_BEAN_NAME = "acmeChallengeFilterRegistration";

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnProperty(name = "acme.store", havingValue = "webroot", matchIfMissing = true)
	ChallengeStore acmeChallengeStore(AcmeChallengeProperties properties) {
		long maxFileSize = ChallengeDirectory.maxFileSizeBytes(properties.getMaxFileSize());
		Path directory = ChallengeDirectory.resolve(properties);
		return new WebrootChallengeStore(directory, maxFileSize);
	}

	@Bean(FILTER_REGISTRATION_BEAN_NAME)
	@ConditionalOnMissingBean(name = FILTER_REGISTRATION_BEAN_NAME)
	FilterRegistrationBean<AcmeChallengeFilter> acmeChallengeFilterRegistration(AcmeChallengeProperties properties,
			ChallengeStore store, ObjectProvider<ChallengeRequestListener> listeners) {
		boolean passThrough = properties.getOnMiss() == MissPolicy.PASS_THROUGH;
		AcmeChallengeFilter filter = new AcmeChallengeFilter(store, passThrough, listeners.orderedStream().toList());
		FilterRegistrationBean<AcmeChallengeFilter> registration = new FilterRegistrationBean<>(filter);
		registration.setName("acmeChallengeFilter");
		registration.setOrder(AcmeChallengeFilter.ORDER);
		registration.addUrlPatterns("/*");
		registration.setDispatcherTypes(DispatcherType.REQUEST, DispatcherType.ERROR);
		return registration;
	}

	/**
	 * Matches when a source of challenges is configured: a directory, a store other than the
	 * webroot, or a {@link ChallengeStore} bean of the application. An application without one
	 * behaves exactly as without the starter.
	 */
	static final class ChallengeSourceCondition extends AnyNestedCondition {

		ChallengeSourceCondition() {
			super(ConfigurationPhase.REGISTER_BEAN);
		}

		@ConditionalOnProperty("acme.webroot")
		static final class WebrootSet {

		}

		@ConditionalOnProperty("acme.challenge-directory")
		static final class ChallengeDirectorySet {

		}

		@ConditionalOnProperty(name = "acme.store", havingValue = "memory")
		static final class MemoryStoreSelected {

		}

		@ConditionalOnProperty(name = "acme.store", havingValue = "jdbc")
		static final class JdbcStoreSelected {

		}

		@ConditionalOnProperty(name = "acme.store", havingValue = "redis")
		static final class RedisStoreSelected {

		}

		@ConditionalOnBean(ChallengeStore.class)
		static final class ChallengeStoreDefined {

		}

	}

}
