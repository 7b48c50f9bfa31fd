package dev.acmechallenge.sample.acme;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

import jakarta.servlet.http.HttpServletRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.TypeExcludeFilter;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.type.classreading.MetadataReader;
import org.springframework.core.type.classreading.MetadataReaderFactory;

import dev.acmechallenge.autoconfigure.AcmeChallengeFilter;
import dev.acmechallenge.autoconfigure.ChallengeOutcome;
import dev.acmechallenge.autoconfigure.ChallengeRequestListener;
import dev.acmechallenge.sample.SampleApplication;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Obtains a certificate from Pebble with certbot while two replicas of the sample app, sharing
 * one challenge store, run behind nginx. certbot's manual hooks from the top-level {@code hooks}
 * folder put the token into the store with psql or redis-cli, Pebble validates through nginx,
 * and nginx sends its validation requests to the replicas in turn, so each replica must serve a
 * token that another process wrote. Uses the PostgreSQL and Redis servers of
 * {@code scripts/services.sh}; one test per store.
 */
class SharedStoreReplicaTests {

	private static final String DOMAIN = "app.test";

	@TempDir
	Path directory;

	private final List<AutoCloseable> resources = new ArrayList<>();

	private final Map<String, ServedTokens> replicas = new LinkedHashMap<>();

	private NginxLoadBalancer nginx;

	private Pebble pebble;

	@AfterEach
	void stop() throws Exception {
		for (int i = this.resources.size() - 1; i >= 0; i--) {
			this.resources.get(i).close();
		}
	}

	@Test
	void certificateWithJdbcStore() throws Exception {
		String table = "acme_replicas_" + UUID.randomUUID().toString().replace("-", "");
		List<String> properties = List.of("acme.store=jdbc", "acme.jdbc.table-name=" + table,
				"spring.datasource.url=" + TestServices.require("ACME_TEST_PG_URL"),
				"spring.datasource.username=" + TestServices.require("ACME_TEST_PG_USER"),
				"spring.datasource.password=" + TestServices.require("ACME_TEST_PG_PASSWORD"),
				"spring.datasource.type=org.springframework.jdbc.datasource.SimpleDriverDataSource");
		Map<String, String> hookEnvironment = Map.of("ACME_STORE", "jdbc", "ACME_JDBC_TABLENAME", table, "PGHOST",
				TestServices.require("ACME_TEST_PG_HOST"), "PGPORT", TestServices.require("ACME_TEST_PG_PORT"),
				"PGDATABASE", TestServices.require("ACME_TEST_PG_DATABASE"), "PGUSER",
				TestServices.require("ACME_TEST_PG_USER"), "PGPASSWORD", TestServices.require("ACME_TEST_PG_PASSWORD"));
		obtainCertificateThroughReplicas(properties, hookEnvironment);
	}

	@Test
	void certificateWithRedisStore() throws Exception {
		String keyPrefix = "acme-replicas:" + UUID.randomUUID() + ":";
		List<String> properties = List.of("acme.store=redis", "acme.redis.key-prefix=" + keyPrefix,
				"spring.data.redis.host=" + TestServices.require("ACME_TEST_REDIS_HOST"),
				"spring.data.redis.port=" + TestServices.require("ACME_TEST_REDIS_PORT"));
		Map<String, String> hookEnvironment = Map.of("ACME_STORE", "redis", "ACME_REDIS_KEYPREFIX", keyPrefix,
				"REDIS_HOST", TestServices.require("ACME_TEST_REDIS_HOST"), "REDIS_PORT",
				TestServices.require("ACME_TEST_REDIS_PORT"));
		obtainCertificateThroughReplicas(properties, hookEnvironment);
	}

	private void obtainCertificateThroughReplicas(List<String> storeProperties, Map<String, String> hookEnvironment)
			throws Exception {
		int firstPort = startReplica("replica-1", storeProperties);
		int secondPort = startReplica("replica-2", storeProperties);
		this.nginx = track(NginxLoadBalancer.start(Files.createDirectories(this.directory.resolve("nginx")),
				firstPort, secondPort));
		this.pebble = track(Pebble.start(Files.createDirectories(this.directory.resolve("pebble")), this.nginx.port()));
		Certbot certbot = new Certbot(this.pebble, Files.createDirectories(this.directory.resolve("certbot")));
		Path hooks = HookScripts.directory();
		Certbot.Result result = certbot.manual(HookScripts.command(hooks.resolve("certbot-auth.sh"), hookEnvironment),
				HookScripts.command(hooks.resolve("certbot-cleanup.sh"), hookEnvironment), DOMAIN);
		String details = failureDetails(result);

		assertThat(result.exitCode()).as(details).isZero();
		assertThat(result.certificate()).as(details).isRegularFile();
		Set<String> tokens = this.replicas.values()
			.stream()
			.flatMap((served) -> served.tokens().stream())
			.collect(Collectors.toSet());
		assertThat(tokens).as("tokens served by either replica\n" + details).hasSize(1);
		String token = tokens.iterator().next();
		for (Map.Entry<String, ServedTokens> replica : this.replicas.entrySet()) {
			assertThat(replica.getValue().tokens()).as(replica.getKey() + " served the token\n" + details)
				.contains(token);
		}
		assertThat(statusThroughNginx(token)).as("status of the token after certbot's cleanup hook\n" + details)
			.isEqualTo(404);
	}

	private int startReplica(String name, List<String> storeProperties) {
		List<String> properties = new ArrayList<>(storeProperties);
		properties.addAll(List.of("server.port=0", "server.address=127.0.0.1", "spring.main.banner-mode=off",
				"spring.application.name=" + name));
		ServedTokens served = new ServedTokens();
		ConfigurableApplicationContext context = new SpringApplicationBuilder(SampleApplication.class)
			.properties(properties.toArray(String[]::new))
			.initializers((applicationContext) -> {
				applicationContext.getBeanFactory().registerSingleton("servedTokens", served);
				applicationContext.getBeanFactory()
					.registerSingleton("testConfigurationExcludeFilter", new TestConfigurationExcludeFilter());
			})
			.run();
		track(context);
		this.replicas.put(name, served);
		return ((WebServerApplicationContext) context).getWebServer().getPort();
	}

	private int statusThroughNginx(String token) throws IOException, InterruptedException {
		HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
		URI uri = URI.create("http://127.0.0.1:" + this.nginx.port() + AcmeChallengeFilter.CHALLENGE_PATH + "/" + token);
		HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(20)).build();
		return client.send(request, BodyHandlers.discarding()).statusCode();
	}

	private String failureDetails(Certbot.Result result) {
		return "served tokens: " + this.replicas + "\ncertbot run:\n" + result.output() + "\n" + this.nginx.output()
				+ "\n" + this.pebble.output();
	}

	private <T extends AutoCloseable> T track(T resource) {
		this.resources.add(resource);
		return resource;
	}

	/**
	 * Records the token of every challenge a replica served.
	 */
	static final class ServedTokens implements ChallengeRequestListener {

		private final List<String> tokens = new CopyOnWriteArrayList<>();

		@Override
		public void onChallengeRequest(ChallengeOutcome outcome, String token, HttpServletRequest request,
				long durationNanos) {
			if (outcome == ChallengeOutcome.SERVED) {
				this.tokens.add(token);
			}
		}

		List<String> tokens() {
			return this.tokens;
		}

		@Override
		public String toString() {
			return this.tokens.toString();
		}

	}

	/**
	 * Keeps the sample app's component scan away from the test configurations of other test
	 * classes, which {@code @SpringBootTest} would exclude but a plain application run does not.
	 */
	static final class TestConfigurationExcludeFilter extends TypeExcludeFilter {

		@Override
		public boolean match(MetadataReader metadataReader, MetadataReaderFactory metadataReaderFactory) {
			return metadataReader.getAnnotationMetadata().isAnnotated(TestConfiguration.class.getName());
		}

		@Override
		public boolean equals(Object other) {
			return other != null && getClass() == other.getClass();
		}

		@Override
		public int hashCode() {
			return getClass().hashCode();
		}

	}

}
