package dev.acmechallenge.autoconfigure;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.core.NestedExceptionUtils;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Startup checks of {@code acme.http-port}: each invalid value fails startup with a message that
 * names the property, the value and the fix.
 */
@ExtendWith(OutputCaptureExtension.class)
class HttpPortValidationTests {

	@Test
	void negativePortRejected() {
		InvalidConfigurationPropertyValueException ex = startFailure(true, "acme.http-port=-1");
		assertThat(ex.getName()).isEqualTo("acme.http-port");
		assertThat(ex.getValue()).isEqualTo(-1);
		assertThat(ex.getReason()).contains("between 0 and 65535");
	}

	@Test
	void portAboveRangeRejected() {
		InvalidConfigurationPropertyValueException ex = startFailure(true, "acme.http-port=65536");
		assertThat(ex.getValue()).isEqualTo(65536);
		assertThat(ex.getReason()).contains("between 0 and 65535");
	}

	@Test
	void serverPortClashRejected() {
		InvalidConfigurationPropertyValueException ex = startFailure(true, "server.port=18443",
				"acme.http-port=18443");
		assertThat(ex.getValue()).isEqualTo(18443);
		assertThat(ex.getReason()).contains("also set as server.port");
		assertThat(ex.getReason()).contains("set acme.http-port to 80");
	}

	@Test
	void plainHttpServerRejected() {
		InvalidConfigurationPropertyValueException ex = startFailure(false, "acme.http-port=0");
		assertThat(ex.getReason()).contains("does not serve HTTPS");
		assertThat(ex.getReason()).contains("server.ssl.bundle");
	}

	@Test
	void failureAnalysisPrinted(CapturedOutput output) {
		startFailure(true, "acme.http-port=70000");
		assertThat(output).contains("Invalid value '70000' for configuration property 'acme.http-port'");
		assertThat(output).contains("Set it to 80, the port that ACME validators connect to.");
	}

	private static InvalidConfigurationPropertyValueException startFailure(boolean https, String... properties) {
		List<String> all = new ArrayList<>(List.of("server.port=0", "server.address=127.0.0.1",
				"acme.webroot=" + TestWebroot.path()));
		if (https) {
			all.addAll(List.of(TestKeyStore.serverSslProperties()));
		}
		all.addAll(List.of(properties));
		Throwable failure = catchThrowable(
				() -> new SpringApplicationBuilder(MinimalApplication.class).properties(all.toArray(String[]::new))
					.run()
					.close());
		Throwable cause = NestedExceptionUtils.getMostSpecificCause(failure);
		assertThat(cause).isInstanceOf(InvalidConfigurationPropertyValueException.class);
		return (InvalidConfigurationPropertyValueException) cause;
	}

	@SpringBootConfiguration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class MinimalApplication {

	}

}
