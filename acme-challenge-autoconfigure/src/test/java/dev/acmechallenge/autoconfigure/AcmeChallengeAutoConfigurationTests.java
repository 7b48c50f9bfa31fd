package dev.acmechallenge.autoconfigure;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.context.properties.source.MutuallyExclusiveConfigurationPropertiesException;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.core.Ordered;
import org.springframework.core.env.MapPropertySource;
import org.springframework.web.filter.CharacterEncodingFilter;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link AcmeChallengeAutoConfiguration}.
 */
@ExtendWith(OutputCaptureExtension.class)
class AcmeChallengeAutoConfigurationTests {

	private final WebApplicationContextRunner contextRunner = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(AcmeChallengeAutoConfiguration.class));

	@TempDir
	Path temp;

	@Test
	void backsOffWithoutDirectory() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context).doesNotHaveBean(ChallengeStore.class);
			assertThat(context).doesNotHaveBean(AcmeChallengeAutoConfiguration.FILTER_REGISTRATION_BEAN_NAME);
			assertThat(context).doesNotHaveBean(FilterRegistrationBean.class);
		});
	}

	@Test
	void configuresWithWebroot() {
		this.contextRunner.withPropertyValues("acme.webroot=" + this.temp).run((context) -> {
			assertThat(context).hasSingleBean(WebrootChallengeStore.class);
			assertThat(context.getBean(WebrootChallengeStore.class).getChallengeDirectory())
				.isEqualTo(this.temp.resolve(".well-known/acme-challenge"));
			assertThat(context).hasBean(AcmeChallengeAutoConfiguration.FILTER_REGISTRATION_BEAN_NAME);
		});
	}

	@Test
	void registersFilterFirstForAllPaths() {
		this.contextRunner.withPropertyValues("acme.webroot=" + this.temp).run((context) -> {
			FilterRegistrationBean<?> registration = context
				.getBean(AcmeChallengeAutoConfiguration.FILTER_REGISTRATION_BEAN_NAME, FilterRegistrationBean.class);
			assertThat(registration.getFilter()).isInstanceOf(AcmeChallengeFilter.class);
			assertThat(registration.getOrder()).isEqualTo(Ordered.HIGHEST_PRECEDENCE);
			assertThat(registration.getUrlPatterns()).containsExactly("/*");
		});
	}

	@Test
	void configuresWithChallengeDirectory() throws IOException {
		String token = "Token_0123456789abcdefghij";
		Files.writeString(this.temp.resolve(token), token + ".thumbprint\n");
		this.contextRunner.withPropertyValues("acme.challenge-directory=" + this.temp).run((context) -> {
			assertThat(context).hasSingleBean(WebrootChallengeStore.class);
			assertThat(context.getBean(WebrootChallengeStore.class).getChallengeDirectory()).isEqualTo(this.temp);
			assertThat(context.getBean(ChallengeStore.class).findKeyAuthorization(token))
				.contains(token + ".thumbprint");
			assertThat(context).hasBean(AcmeChallengeAutoConfiguration.FILTER_REGISTRATION_BEAN_NAME);
		});
	}

	@Test
	void backsOffWhenDisabled() {
		this.contextRunner.withPropertyValues("acme.webroot=" + this.temp, "acme.enabled=false").run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context).doesNotHaveBean(ChallengeStore.class);
			assertThat(context).doesNotHaveBean(AcmeChallengeAutoConfiguration.FILTER_REGISTRATION_BEAN_NAME);
		});
	}

	@Test
	void backsOffInNonWebApplication() {
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(AcmeChallengeAutoConfiguration.class))
			.withPropertyValues("acme.webroot=" + this.temp)
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context).doesNotHaveBean(ChallengeStore.class);
				assertThat(context).doesNotHaveBean(AcmeChallengeAutoConfiguration.FILTER_REGISTRATION_BEAN_NAME);
			});
	}

	@Test
	void backsOffInReactiveWebApplication() {
		new ReactiveWebApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(AcmeChallengeAutoConfiguration.class))
			.withPropertyValues("acme.webroot=" + this.temp)
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context).doesNotHaveBean(ChallengeStore.class);
				assertThat(context).doesNotHaveBean(AcmeChallengeAutoConfiguration.FILTER_REGISTRATION_BEAN_NAME);
			});
	}

	@Test
	void userStoreWins() {
		ChallengeStore userStore = (token) -> Optional.of("from the user's store");
		this.contextRunner.withPropertyValues("acme.webroot=" + this.temp)
			.withBean("userStore", ChallengeStore.class, () -> userStore)
			.run((context) -> {
				assertThat(context).hasSingleBean(ChallengeStore.class);
				assertThat(context.getBean(ChallengeStore.class)).isSameAs(userStore);
				assertThat(context).hasBean(AcmeChallengeAutoConfiguration.FILTER_REGISTRATION_BEAN_NAME);
			});
	}

	@Test
	void userFilterRegistrationWins() {
		FilterRegistrationBean<CharacterEncodingFilter> userRegistration = new FilterRegistrationBean<>(
				new CharacterEncodingFilter());
		this.contextRunner.withPropertyValues("acme.webroot=" + this.temp)
			.withBean(AcmeChallengeAutoConfiguration.FILTER_REGISTRATION_BEAN_NAME, FilterRegistrationBean.class,
					() -> userRegistration)
			.run((context) -> {
				assertThat(context).hasSingleBean(FilterRegistrationBean.class);
				assertThat(context.getBean(AcmeChallengeAutoConfiguration.FILTER_REGISTRATION_BEAN_NAME))
					.isSameAs(userRegistration);
				assertThat(context).hasSingleBean(ChallengeStore.class);
			});
	}

	@Test
	void logsDirectoryAtInfo(CapturedOutput output) throws IOException {
		Path directory = Files.createDirectories(this.temp.resolve(".well-known/acme-challenge"));
		this.contextRunner.withPropertyValues("acme.webroot=" + this.temp).run((context) -> {
			assertThat(context).hasNotFailed();
			String line = logLine(output, "Serving ACME challenges from [" + directory + "]");
			assertThat(line).contains("INFO");
			assertThat(line).doesNotContain("does not exist");
		});
	}

	@Test
	void warnsWhenDirectoryMissing(CapturedOutput output) {
		Path directory = this.temp.resolve(".well-known/acme-challenge");
		this.contextRunner.withPropertyValues("acme.webroot=" + this.temp).run((context) -> {
			assertThat(context).hasNotFailed();
			String line = logLine(output, "Serving ACME challenges from [" + directory + "]");
			assertThat(line).contains("WARN");
			assertThat(line).contains("which does not exist yet");
		});
	}

	private static String logLine(CapturedOutput output, String message) {
		Optional<String> line = output.getOut().lines().filter((candidate) -> candidate.contains(message)).findFirst();
		assertThat(line).as("log line containing [%s]", message).isPresent();
		return line.get();
	}

	@Nested
	class InvalidConfiguration {

		@Test
		void bothLayouts() {
			withWebroot().withPropertyValues("acme.challenge-directory=" + AcmeChallengeAutoConfigurationTests.this.temp)
				.run((context) -> {
					assertThat(context).hasFailed();
					assertThat(context.getStartupFailure()).rootCause()
						.isInstanceOf(MutuallyExclusiveConfigurationPropertiesException.class)
						.hasMessageContaining("acme.webroot")
						.hasMessageContaining("acme.challenge-directory")
						.hasMessageContaining("are mutually exclusive");
				});
		}

		@Test
		void relativeWebroot() {
			assertInvalid("acme.webroot", "relative/webroot", "The path is relative",
					"Set an absolute path such as " + Path.of("relative/webroot").toAbsolutePath());
		}

		@Test
		void relativeChallengeDirectory() {
			assertInvalid("acme.challenge-directory", "relative/challenges", "The path is relative",
					"Set an absolute path such as " + Path.of("relative/challenges").toAbsolutePath());
		}

		@Test
		void emptyWebroot() {
			assertInvalid("acme.webroot", "", "The path is empty",
					"Set it to the absolute path of the directory that the ACME client writes to");
		}

		@Test
		void blankWebroot() {
			// TestPropertyValues trims values, so the blank value comes from a property source
			WebApplicationContextRunner runner = AcmeChallengeAutoConfigurationTests.this.contextRunner
				.withInitializer((context) -> context.getEnvironment()
					.getPropertySources()
					.addFirst(new MapPropertySource("blank", Map.of("acme.webroot", " \t"))));
			assertInvalid(runner, "acme.webroot", " \t", "The path is empty",
					"Set it to the absolute path of the directory that the ACME client writes to");
		}

		@Test
		void emptyChallengeDirectory() {
			assertInvalid("acme.challenge-directory", "", "The path is empty",
					"Set it to the absolute path of the directory that the ACME client writes to");
		}

		@Test
		void rootWebroot() {
			assertInvalid("acme.webroot", "/", "The path is the file-system root",
					"Set it to a directory used only as a web root");
		}

		@Test
		void rootChallengeDirectory() {
			assertInvalid("acme.challenge-directory", "/", "The path is the file-system root",
					"Set it to a directory used only as a web root");
		}

		@Test
		void webrootWithNulCharacter() {
			assertInvalid("acme.webroot", "/var/www\u0000acme", "The path is not valid",
					"Set it to the absolute path of the directory that the ACME client writes to");
		}

		@Test
		void webrootIsFile() throws IOException {
			Path file = Files.writeString(AcmeChallengeAutoConfigurationTests.this.temp.resolve("webroot.txt"), "x");
			assertInvalid("acme.webroot", file.toString(), "The path is a regular file, not a directory",
					"Set it to the directory that contains .well-known/acme-challenge, for example "
							+ AcmeChallengeAutoConfigurationTests.this.temp);
		}

		@Test
		void challengeDirectoryIsFile() throws IOException {
			Path file = Files.writeString(AcmeChallengeAutoConfigurationTests.this.temp.resolve("challenges.txt"),
					"x");
			assertInvalid("acme.challenge-directory", file.toString(), "The path is a regular file, not a directory",
					"Set it to the directory that contains the token files, for example "
							+ AcmeChallengeAutoConfigurationTests.this.temp);
		}

		@Test
		void zeroMaxFileSize() {
			assertInvalidMaxFileSize("0", "0B");
		}

		@Test
		void negativeMaxFileSize() {
			assertInvalidMaxFileSize("-1KB", "-1024B");
		}

		@Test
		void maxFileSizeAboveLimit() {
			assertInvalidMaxFileSize("1025KB", "1049600B");
		}

		@Test
		void maxFileSizeAtLimit() {
			withWebroot().withPropertyValues("acme.max-file-size=1MB").run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context).hasSingleBean(ChallengeStore.class);
			});
		}

		private void assertInvalidMaxFileSize(String value, String boundValue) {
			withWebroot().withPropertyValues("acme.max-file-size=" + value).run((context) -> {
				assertThat(context).hasFailed();
				assertThat(context.getStartupFailure()).rootCause()
					.isInstanceOf(InvalidConfigurationPropertyValueException.class)
					.hasMessageContaining("acme.max-file-size")
					.hasMessageContaining("'" + boundValue + "'")
					.hasMessageContaining("must be between 1B and 1MB")
					.hasMessageContaining("set a size such as 8KB");
			});
		}

		private void assertInvalid(String property, String value, String reason, String fix) {
			assertInvalid(AcmeChallengeAutoConfigurationTests.this.contextRunner
				.withPropertyValues(property + "=" + value), property, value, reason, fix);
		}

		private void assertInvalid(WebApplicationContextRunner runner, String property, String value, String reason,
				String fix) {
			runner.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(context.getStartupFailure()).rootCause()
					.isInstanceOf(InvalidConfigurationPropertyValueException.class)
					.hasMessageContaining("Property " + property + " with value '" + value + "'")
					.hasMessageContaining(reason)
					.hasMessageContaining(fix);
			});
		}

		private WebApplicationContextRunner withWebroot() {
			return AcmeChallengeAutoConfigurationTests.this.contextRunner
				.withPropertyValues("acme.webroot=" + AcmeChallengeAutoConfigurationTests.this.temp);
		}

	}

}
