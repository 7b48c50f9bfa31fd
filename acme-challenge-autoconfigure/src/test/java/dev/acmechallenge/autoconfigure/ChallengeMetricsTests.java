package dev.acmechallenge.autoconfigure;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.acmechallenge.autoconfigure.ChallengeSelfCheck.Result;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link ChallengeMetricsListener} and {@link AcmeChallengeMetricsAutoConfiguration}.
 */
class ChallengeMetricsTests {

	private static final String SERVED_TOKEN = "Served_token_0123456789abc";

	private static final String FAILING_TOKEN = "Failing_token_0123456789abc";

	private static final String MISSING_TOKEN = "Missing_token_0123456789abc";

	private final WebApplicationContextRunner contextRunner = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(AcmeChallengeAutoConfiguration.class,
				AcmeChallengeMetricsAutoConfiguration.class))
		.withPropertyValues("acme.webroot=/srv/www");

	@Test
	void countsEachOutcome() throws Exception {
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(App.class, TestStore.class)
			.properties("server.port=0", "server.address=127.0.0.1", "acme.webroot=/srv/www")
			.run()) {
			int port = ((WebServerApplicationContext) context).getWebServer().getPort();
			send(port, "GET", SERVED_TOKEN);
			send(port, "GET", SERVED_TOKEN);
			send(port, "HEAD", SERVED_TOKEN);
			send(port, "GET", MISSING_TOKEN);
			send(port, "GET", "short");
			send(port, "POST", SERVED_TOKEN);
			send(port, "DELETE", SERVED_TOKEN);
			send(port, "GET", FAILING_TOKEN);
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			assertThat(count(registry, "served")).isEqualTo(3);
			assertThat(count(registry, "not_found")).isEqualTo(1);
			assertThat(count(registry, "rejected")).isEqualTo(3);
			assertThat(count(registry, "error")).isEqualTo(1);
			assertThat(registry.get(ChallengeMetricsListener.SERVED_METRIC).timer().count()).isEqualTo(3);
		}
	}

	@Test
	void ignoresSelfCheckProbe(@TempDir Path webroot) throws IOException {
		Files.createDirectories(webroot.resolve(".well-known/acme-challenge"));
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(App.class)
			.properties("server.port=0", "server.address=127.0.0.1", "acme.webroot=" + webroot)
			.run()) {
			ChallengeSelfCheck selfCheck = context.getBean(ChallengeSelfCheck.class);
			Result result = await().atMost(Duration.ofSeconds(30))
				.until(selfCheck::getLastResult, (completed) -> completed != null);
			assertThat(result.status()).isEqualTo(ChallengeSelfCheck.Status.PASSED);
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			assertThat(count(registry, "served")).isZero();
			assertThat(registry.get(ChallengeMetricsListener.SERVED_METRIC).timer().count()).isZero();
		}
	}

	@Test
	void registersCountersUpFront() {
		SimpleMeterRegistry registry = new SimpleMeterRegistry();
		new ChallengeMetricsListener(registry);
		for (String outcome : new String[] { "served", "not_found", "rejected", "error" }) {
			assertThat(count(registry, outcome)).as(outcome).isZero();
		}
	}

	@Test
	void appliesWithMeterRegistry() {
		this.contextRunner.withBean(SimpleMeterRegistry.class)
			.run((context) -> assertThat(context).hasSingleBean(ChallengeMetricsListener.class));
	}

	@Test
	void backsOffWithoutMeterRegistry() {
		this.contextRunner.run((context) -> assertThat(context).doesNotHaveBean(ChallengeMetricsListener.class));
	}

	@Test
	void backsOffWithoutMicrometer() {
		this.contextRunner.withBean(SimpleMeterRegistry.class)
			.withClassLoader(new FilteredClassLoader(MeterRegistry.class))
			.run((context) -> assertThat(context).doesNotHaveBean(ChallengeMetricsListener.class));
	}

	@Test
	void backsOffWithoutChallengeSource() {
		new WebApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(AcmeChallengeAutoConfiguration.class,
					AcmeChallengeMetricsAutoConfiguration.class))
			.withBean(SimpleMeterRegistry.class)
			.run((context) -> assertThat(context).doesNotHaveBean(ChallengeMetricsListener.class));
	}

	private static double count(MeterRegistry registry, String outcome) {
		return registry.get(ChallengeMetricsListener.REQUESTS_METRIC).tag("outcome", outcome).counter().count();
	}

	private static void send(int port, String method, String token) throws IOException, InterruptedException {
		URI uri = URI.create("http://127.0.0.1:" + port + AcmeChallengeFilter.CHALLENGE_PATH + "/" + token);
		HttpRequest request = HttpRequest.newBuilder(uri).method(method, HttpRequest.BodyPublishers.noBody()).build();
		HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.discarding());
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class App {

	}

	@Configuration(proxyBeanMethods = false)
	static class TestStore {

		/**
		 * Store with one token, one token whose lookup fails and nothing else.
		 */
		@Bean
		ChallengeStore testStore() {
			return (token) -> {
				if (token.equals(FAILING_TOKEN)) {
					throw new ChallengeStoreException("Store unavailable", new IOException("connection reset"));
				}
				return token.equals(SERVED_TOKEN) ? Optional.of(SERVED_TOKEN + ".thumbprint") : Optional.empty();
			};
		}

	}

}
