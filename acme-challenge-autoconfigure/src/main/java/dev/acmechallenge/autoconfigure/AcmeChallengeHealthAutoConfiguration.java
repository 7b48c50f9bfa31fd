package dev.acmechallenge.autoconfigure;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration Auto-configuration} of the
 * {@code acme} health indicator, when Spring Boot's health support is on the classpath.
 */
@AutoConfiguration(after = { AcmeChallengeAutoConfiguration.class, AcmeChallengeDiagnosticsAutoConfiguration.class })
@ConditionalOnClass(HealthIndicator.class)
@ConditionalOnBean(ChallengeStore.class)
@ConditionalOnEnabledHealthIndicator("acme")
public final class AcmeChallengeHealthAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean(name = "acmeHealthIndicator")
	ChallengeHealthIndicator acmeHealthIndicator(ChallengeStore store, ObjectProvider<ChallengeSelfCheck> selfCheck) {
		return new ChallengeHealthIndicator(store, () -> {
			ChallengeSelfCheck check = selfCheck.getIfAvailable();
			return (check != null) ? check.getLastResult() : null;
		}, (token) -> {
			ChallengeSelfCheck check = selfCheck.getIfAvailable();
			return check != null && check.isProbeToken(token);
		});
	}

}
