package dev.acmechallenge.autoconfigure;

import jakarta.servlet.Filter;
import org.apache.catalina.startup.Tomcat;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication.Type;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.servlet.AbstractFilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.util.function.SingletonSupplier;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration Auto-configuration} of the
 * embedded web server for ACME challenges: on Tomcat, challenges at the server root when the
 * application has a context path, and the plain-HTTP connector of {@code acme.http-port}. On
 * other servers, these settings are reported at startup.
 */
@AutoConfiguration(after = AcmeChallengeAutoConfiguration.class)
@ConditionalOnWebApplication(type = Type.SERVLET)
@ConditionalOnBean(name = AcmeChallengeAutoConfiguration.FILTER_REGISTRATION_BEAN_NAME)
@EnableConfigurationProperties(AcmeChallengeProperties.class)
public final class AcmeChallengeWebServerAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	UnsupportedWebServerCustomizer acmeChallengeUnsupportedWebServerCustomizer(AcmeChallengeProperties properties) {
		return new UnsupportedWebServerCustomizer(properties);
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass({ Tomcat.class, TomcatServletWebServerFactory.class })
	static final class TomcatConfiguration {

		@Bean
		@ConditionalOnMissingBean
		AcmeChallengeTomcatCustomizer acmeChallengeTomcatCustomizer(AcmeChallengeProperties properties,
				BeanFactory beanFactory) {
			SingletonSupplier<Filter> challengeFilter = SingletonSupplier.of(() -> beanFactory
				.getBean(AcmeChallengeAutoConfiguration.FILTER_REGISTRATION_BEAN_NAME,
						AbstractFilterRegistrationBean.class)
				.getFilter());
			return new AcmeChallengeTomcatCustomizer(properties, challengeFilter);
		}

	}

}
