package dev.acmechallenge.autoconfigure;

import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration Auto-configuration} of
 * Micrometer metrics for challenge requests, when Micrometer is on the classpath and a
 * {@link MeterRegistry} is configured.
 */
@AutoConfiguration(after = { AcmeChallengeAutoConfiguration.class, AcmeChallengeDiagnosticsAutoConfiguration.class },
		afterName = "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration")
@ConditionalOnClass(MeterRegistry.class)
@ConditionalOnBean({ MeterRegistry.class, ChallengeStore.class })
public final class AcmeChallengeMetricsAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	ChallengeMetricsListener acmeChallengeMetricsListener(MeterRegistry registry,
			ObjectProvider<ChallengeSelfCheck> selfCheck) {
		return new ChallengeMetricsListener(registry, (token) -> {
			ChallengeSelfCheck check = selfCheck.getIfAvailable();
			return check != null && check.isProbeToken(token);
		});
	}

}
