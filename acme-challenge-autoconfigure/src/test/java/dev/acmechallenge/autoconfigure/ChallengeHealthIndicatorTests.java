package dev.acmechallenge.autoconfigure;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import dev.acmechallenge.autoconfigure.ChallengeSelfCheck.Result;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link ChallengeHealthIndicator} and {@link AcmeChallengeHealthAutoConfiguration}.
 */
class ChallengeHealthIndicatorTests {

	private static final Instant NOW = Instant.parse("2026-12-04T12:00:00Z");

	private static final String PROBE_TOKEN = "Probe_token_0123456789abcd";

	@TempDir
	Path directory;

	private final WebApplicationContextRunner contextRunner = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(AcmeChallengeAutoConfiguration.class,
				AcmeChallengeDiagnosticsAutoConfiguration.class, AcmeChallengeHealthAutoConfiguration.class));

	@Test
	void upWhenDirectoryIsReadable() {
		Health health = indicator(webrootStore(this.directory), null).health();
		assertThat(health.getStatus()).isEqualTo(Status.UP);
		assertThat(health.getDetails()).containsEntry("directory", this.directory.toString());
	}

	@Test
	void unknownWhenDirectoryIsMissing() {
		Path missing = this.directory.resolve("missing");
		Health health = indicator(webrootStore(missing), null).health();
		assertThat(health.getStatus()).isEqualTo(Status.UNKNOWN);
		assertThat(health.getDetails()).containsEntry("reason",
				"the directory does not exist yet; the ACME client creates it");
	}

	@Test
	void downWhenPathIsNotDirectory() throws IOException {
		Path file = Files.writeString(this.directory.resolve("file"), "not a directory");
		Health health = indicator(webrootStore(file), null).health();
		assertThat(health.getStatus()).isEqualTo(Status.DOWN);
		assertThat(health.getDetails()).containsEntry("reason", "the path is not a directory");
	}

	@Test
	void downWhenSelfCheckFailed() {
		Result failed = new Result(ChallengeSelfCheck.Status.FAILED, "port 8080: redirected", NOW);
		Health health = indicator(webrootStore(this.directory), failed).health();
		assertThat(health.getStatus()).isEqualTo(Status.DOWN);
		assertThat(health.getDetails()).containsEntry("selfCheck", "FAILED: port 8080: redirected");
	}

	@Test
	void upWhenSelfCheckDidNotRun() {
		Result notRun = new Result(ChallengeSelfCheck.Status.NOT_RUN, "not writable", NOW);
		Health health = indicator(webrootStore(this.directory), notRun).health();
		assertThat(health.getStatus()).isEqualTo(Status.UP);
		assertThat(health.getDetails()).containsEntry("selfCheck", "NOT_RUN: not writable");
	}

	@Test
	void unknownForOtherStores() {
		ChallengeStore store = (token) -> Optional.empty();
		Health health = indicator(store, null).health();
		assertThat(health.getStatus()).isEqualTo(Status.UNKNOWN);
		assertThat(health.getDetails()).containsKey("store");
	}

	@Test
	void lastServedIsNeverAtFirst() {
		Health health = indicator(webrootStore(this.directory), null).health();
		assertThat(health.getDetails()).containsEntry("lastServed", "never");
	}

	@Test
	void lastServedIsTimeOfLastServedRequest() {
		ChallengeHealthIndicator indicator = indicator(webrootStore(this.directory), null);
		indicator.onChallengeRequest(ChallengeOutcome.SERVED, "Served_token_0123456789abc", null, 1000);
		indicator.onChallengeRequest(ChallengeOutcome.NOT_FOUND, "Missing_token_0123456789abc", null, 1000);
		assertThat(indicator.health().getDetails()).containsEntry("lastServed", NOW.toString());
	}

	@Test
	void lastServedIgnoresProbeToken() {
		ChallengeHealthIndicator indicator = indicator(webrootStore(this.directory), null);
		indicator.onChallengeRequest(ChallengeOutcome.SERVED, PROBE_TOKEN, null, 1000);
		assertThat(indicator.health().getDetails()).containsEntry("lastServed", "never");
	}

	@Test
	void registeredAsAcmeContributor() {
		this.contextRunner.withPropertyValues("acme.webroot=" + this.directory)
			.run((context) -> assertThat(context).hasSingleBean(ChallengeHealthIndicator.class)
				.hasBean("acmeHealthIndicator"));
	}

	@Test
	void backsOffWhenDisabled() {
		this.contextRunner.withPropertyValues("acme.webroot=" + this.directory, "management.health.acme.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(ChallengeHealthIndicator.class));
	}

	@Test
	void backsOffWithoutHealthSupport() {
		this.contextRunner.withPropertyValues("acme.webroot=" + this.directory)
			.withClassLoader(new FilteredClassLoader(HealthIndicator.class))
			.run((context) -> assertThat(context).doesNotHaveBean(ChallengeHealthIndicator.class));
	}

	@Test
	void healthEndpointShowsAcme() throws Exception {
		Path challengeDirectory = Files.createDirectories(this.directory.resolve(".well-known/acme-challenge"));
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(App.class)
			.properties("server.port=0", "server.address=127.0.0.1", "acme.webroot=" + this.directory,
					"management.endpoint.health.show-details=always")
			.run()) {
			ChallengeSelfCheck selfCheck = context.getBean(ChallengeSelfCheck.class);
			await().atMost(Duration.ofSeconds(30)).until(selfCheck::getLastResult, (result) -> result != null);
			int port = ((WebServerApplicationContext) context).getWebServer().getPort();
			HttpResponse<String> response = get(port, "/actuator/health/acme");
			assertThat(response.statusCode()).isEqualTo(200);
			assertThat(response.body()).contains("\"status\":\"UP\"")
				.contains("\"directory\":\"" + challengeDirectory + "\"")
				.contains("\"selfCheck\":\"PASSED: served on port " + port + "\"")
				.contains("\"lastServed\":\"never\"");
		}
	}

	@Test
	void healthEndpointShowsLastServed() throws Exception {
		Path challengeDirectory = Files.createDirectories(this.directory.resolve(".well-known/acme-challenge"));
		Files.writeString(challengeDirectory.resolve("Served_token_0123456789abc"), "Served_token_0123456789abc.key");
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(App.class)
			.properties("server.port=0", "server.address=127.0.0.1", "acme.webroot=" + this.directory,
					"management.endpoint.health.show-details=always", "acme.self-check.enabled=false")
			.run()) {
			int port = ((WebServerApplicationContext) context).getWebServer().getPort();
			Instant before = Instant.now();
			assertThat(get(port, "/.well-known/acme-challenge/Served_token_0123456789abc").statusCode()).isEqualTo(200);
			String body = get(port, "/actuator/health/acme").body();
			Matcher lastServed = Pattern.compile("\"lastServed\":\"([^\"]+)\"").matcher(body);
			assertThat(lastServed.find()).as(body).isTrue();
			assertThat(Instant.parse(lastServed.group(1))).isBetween(before, Instant.now());
		}
	}

	private static HttpResponse<String> get(int port, String path) throws IOException, InterruptedException {
		URI uri = URI.create("http://127.0.0.1:" + port + path);
		return HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
	}

	private static ChallengeHealthIndicator indicator(ChallengeStore store, Result selfCheckResult) {
		return new ChallengeHealthIndicator(store, () -> selfCheckResult, PROBE_TOKEN::equals,
				Clock.fixed(NOW, ZoneOffset.UTC));
	}

	private static WebrootChallengeStore webrootStore(Path directory) {
		return new WebrootChallengeStore(directory, 8192);
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class App {

	}

}
