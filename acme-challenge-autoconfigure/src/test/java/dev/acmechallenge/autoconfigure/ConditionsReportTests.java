package dev.acmechallenge.autoconfigure;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests that the conditions report printed with {@code debug=true} shows why the auto-configuration
 * did or did not apply.
 */
@ExtendWith(OutputCaptureExtension.class)
class ConditionsReportTests {

	@TempDir
	Path webroot;

	@Test
	void reportsMatchWithWebroot(CapturedOutput output) {
		run("acme.webroot=" + this.webroot);
		assertThat(output).containsPattern("AcmeChallengeAutoConfiguration matched:\\R(\\s+- .*\\R)*"
				+ "\\s+- AnyNestedCondition 1 matched \\d+ did not; .*NestedCondition on "
				+ "AcmeChallengeAutoConfiguration.ChallengeSourceCondition.WebrootSet @ConditionalOnProperty "
				+ "\\(acme.webroot\\) matched");
	}

	@Test
	void reportsMissingChallengeSource(CapturedOutput output) {
		run();
		assertThat(output).containsPattern("AcmeChallengeAutoConfiguration:\\R\\s+Did not match:\\R"
				+ "\\s+- AnyNestedCondition 0 matched \\d+ did not; .*NestedCondition on "
				+ "AcmeChallengeAutoConfiguration.ChallengeSourceCondition.WebrootSet "
				+ "@ConditionalOnProperty \\(acme.webroot\\) did not find property 'acme.webroot'");
	}

	@Test
	void reportsDisabledSelfCheck(CapturedOutput output) {
		run("acme.webroot=" + this.webroot, "acme.self-check.enabled=false");
		assertThat(output).containsPattern("AcmeChallengeDiagnosticsAutoConfiguration#acmeChallengeSelfCheck:\\R"
				+ "\\s+Did not match:\\R\\s+- @ConditionalOnBooleanProperty \\(acme.self-check.enabled=true\\) "
				+ "found different value in property 'acme.self-check.enabled'");
	}

	@Test
	void reportsDisabledStarter(CapturedOutput output) {
		run("acme.webroot=" + this.webroot, "acme.enabled=false");
		assertThat(output).containsPattern("AcmeChallengeAutoConfiguration:\\R\\s+Did not match:\\R"
				+ "\\s+- @ConditionalOnBooleanProperty \\(acme.enabled=true\\) found different value in property "
				+ "'acme.enabled'");
	}

	private static void run(String... properties) {
		ConfigurableApplicationContext context = new SpringApplicationBuilder(App.class)
			.properties("debug=true", "server.port=0", "server.address=127.0.0.1")
			.properties(properties)
			.run();
		context.close();
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class App {

	}

}
