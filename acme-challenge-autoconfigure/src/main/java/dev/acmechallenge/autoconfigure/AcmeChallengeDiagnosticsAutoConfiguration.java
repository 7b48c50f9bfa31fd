package dev.acmechallenge.autoconfigure;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication.Type;
import org.springframework.context.annotation.Bean;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration Auto-configuration} of the
 * diagnostics of challenge serving: the startup self-check and one log line per served challenge.
 */
@AutoConfiguration(after = AcmeChallengeAutoConfiguration.class)
@ConditionalOnWebApplication(type = Type.SERVLET)
@ConditionalOnBean(ChallengeStore.class)
public final class AcmeChallengeDiagnosticsAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnBooleanProperty(name = "acme.self-check.enabled", matchIfMissing = true)
	ChallengeSelfCheck acmeChallengeSelfCheck(ChallengeStore store) {
		return new ChallengeSelfCheck(store);
	}

	@Bean
	@ConditionalOnMissingBean
	ChallengeRequestLogger acmeChallengeRequestLogger() {
		return new ChallengeRequestLogger();
	}

}
