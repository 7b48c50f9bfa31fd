package dev.acmechallenge.autoconfigure;

import java.io.IOException;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.jetty.servlet.JettyServletWebServerFactory;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.util.ClassUtils;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * End-to-end tests on Jetty, which has no support for challenges outside the context path or for
 * {@code acme.http-port}. They run without Tomcat on the class path, as a Jetty application does.
 */
@Tag("jetty")
@ExtendWith(OutputCaptureExtension.class)
class JettyWebServerTests {

	@Test
	void runsWithoutTomcat() {
		assertThat(ClassUtils.isPresent("org.apache.catalina.startup.Tomcat", null)).isFalse();
	}

	@Test
	void challengeServedOnJetty() throws IOException {
		try (ConfigurableApplicationContext context = start()) {
			RawHttpClient.Response response = RawHttpClient.get(port(context), TestWebroot.CHALLENGE_URI);
			assertThat(context.getBean(JettyServletWebServerFactory.class)).isNotNull();
			assertThat(response.status()).isEqualTo(200);
			assertThat(response.body()).isEqualTo(TestWebroot.KEY_AUTHORIZATION);
		}
	}

	@Test
	void contextPathWarned(CapturedOutput output) throws IOException {
		try (ConfigurableApplicationContext context = start("server.servlet.context-path=/app")) {
			RawHttpClient.Response response = RawHttpClient.get(port(context), "/app" + TestWebroot.CHALLENGE_URI);
			assertThat(response.status()).isEqualTo(200);
			assertThat(output).contains("WARN");
			assertThat(output).contains("ACME challenges are answered only under the context path [/app], not at the "
					+ "server root where validators request them, because JettyServletWebServerFactory is not "
					+ "supported for root challenges");
		}
	}

	@Test
	void noWarningWithoutContextPath(CapturedOutput output) {
		try (ConfigurableApplicationContext context = start()) {
			assertThat(output).doesNotContain("ACME challenges are answered only under the context path");
		}
	}

	@Test
	void httpPortRejected() {
		Throwable failure = catchThrowable(() -> start("acme.http-port=0").close());
		Throwable cause = NestedExceptionUtils.getMostSpecificCause(failure);
		assertThat(cause).isInstanceOf(InvalidConfigurationPropertyValueException.class);
		assertThat(((InvalidConfigurationPropertyValueException) cause).getName()).isEqualTo("acme.http-port");
		assertThat(((InvalidConfigurationPropertyValueException) cause).getReason())
			.contains("only supported on Tomcat, and this application runs on JettyServletWebServerFactory");
	}

	private static ConfigurableApplicationContext start(String... properties) {
		return new SpringApplicationBuilder(JettyApplication.class)
			.properties("server.port=0", "server.address=127.0.0.1", "acme.webroot=" + TestWebroot.path())
			.properties(properties)
			.run();
	}

	private static int port(ConfigurableApplicationContext context) {
		return context.getEnvironment().getRequiredProperty("local.server.port", Integer.class);
	}

	@SpringBootConfiguration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class JettyApplication {

	}

}
