package dev.acmechallenge.autoconfigure;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import org.apache.catalina.Context;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ValveBase;
import org.apache.tomcat.util.descriptor.web.SecurityCollection;
import org.apache.tomcat.util.descriptor.web.SecurityConstraint;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.tomcat.TomcatContextCustomizer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;

import dev.acmechallenge.autoconfigure.ChallengeSelfCheck.Result;
import dev.acmechallenge.autoconfigure.ChallengeSelfCheck.Status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Tests for {@link ChallengeSelfCheck}, against the embedded Tomcat server of a running
 * application.
 */
@ExtendWith(OutputCaptureExtension.class)
class ChallengeSelfCheckTests {

	private static final Duration RESULT_DEADLINE = Duration.ofSeconds(30);

	@TempDir
	Path webroot;

	private final List<ConfigurableApplicationContext> contexts = new ArrayList<>();

	private final List<Path> immutableDirectories = new ArrayList<>();

	@BeforeEach
	void createChallengeDirectory() throws IOException {
		Files.createDirectories(this.webroot.resolve(".well-known/acme-challenge"));
	}

	@AfterEach
	void close() throws Exception {
		this.contexts.forEach(ConfigurableApplicationContext::close);
		for (Path directory : this.immutableDirectories) {
			new ProcessBuilder("chattr", "-i", directory.toString()).inheritIO().start().waitFor();
			Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwx------"));
		}
	}

	@Test
	void passesWhenTokenIsServed(CapturedOutput output) {
		Result result = awaitResult(run(App.class, "acme.webroot=" + this.webroot));
		assertThat(result.status()).isEqualTo(Status.PASSED);
		assertThat(output).contains("ACME self-check passed: a probe token written to the challenge directory ["
				+ this.webroot.resolve(".well-known/acme-challenge") + "] was served on port");
	}

	@Test
	void leavesNoFilesBehind() throws IOException {
		Path challengeDirectory = this.webroot.resolve(".well-known/acme-challenge");
		Files.createDirectories(challengeDirectory);
		Files.writeString(challengeDirectory.resolve("Existing_token_0123456789"), "existing");
		awaitResult(run(App.class, "acme.webroot=" + this.webroot));
		try (Stream<Path> files = Files.list(challengeDirectory)) {
			assertThat(files).containsExactly(challengeDirectory.resolve("Existing_token_0123456789"));
		}
		assertThat(challengeDirectory.resolve("Existing_token_0123456789")).hasContent("existing");
	}

	@Test
	void skipsWhenChallengeDirectoryMissing(CapturedOutput output) throws IOException {
		Path emptyWebroot = Files.createDirectory(this.webroot.resolve("empty"));
		Result result = awaitResult(run(App.class, "acme.webroot=" + emptyWebroot));
		assertThat(result.status()).isEqualTo(Status.NOT_RUN);
		assertThat(output).contains("ACME self-check skipped: the challenge directory ["
				+ emptyWebroot.resolve(".well-known/acme-challenge") + "] does not exist yet");
		try (Stream<Path> files = Files.list(emptyWebroot)) {
			assertThat(files).isEmpty();
		}
	}

	@Test
	void probeTokenHas43Characters(CapturedOutput output) {
		awaitResult(run(App.class, "acme.webroot=" + this.webroot));
		assertThat(output).containsPattern("Served ACME challenge token \\[[A-Za-z0-9_-]{43}\\] to 127\\.0\\.0\\.1 "
				+ "\\(User-Agent \\[" + ChallengeSelfCheck.USER_AGENT + "\\]\\)");
	}

	@Test
	void probesHttpPortBesideHttpsPort(CapturedOutput output) {
		ConfigurableApplicationContext withHttpPort = run(App.class, withSsl("acme.webroot=" + this.webroot,
				"acme.http-port=0"));
		Result result = awaitResult(withHttpPort);
		int httpPort = withHttpPort.getEnvironment().getRequiredProperty("local.acme.http-port", Integer.class);
		assertThat(result.status()).isEqualTo(Status.PASSED);
		assertThat(result.message()).isEqualTo("served on port " + httpPort);
		assertThat(output).contains("was served on port " + httpPort + "\n");
	}

	@Test
	void passesWithContextPath() {
		Result result = awaitResult(
				run(App.class, "acme.webroot=" + this.webroot, "server.servlet.context-path=/site"));
		assertThat(result.status()).isEqualTo(Status.PASSED);
	}

	@Test
	void ignoresManagementServer(CapturedOutput output) {
		ConfigurableApplicationContext context = run(App.class, "acme.webroot=" + this.webroot,
				"management.server.port=0", "management.server.address=127.0.0.1");
		Result result = awaitResult(context);
		int port = context.getEnvironment().getRequiredProperty("local.server.port", Integer.class);
		assertThat(result.status()).isEqualTo(Status.PASSED);
		assertThat(result.message()).isEqualTo("served on port " + port);
		assertThat(output.getAll().split("ACME self-check passed", -1)).hasSize(2);
	}

	@Test
	void warnsWhenOnlyHttpsPort(CapturedOutput output) {
		Result result = awaitResult(run(App.class, withSsl("acme.webroot=" + this.webroot)));
		assertThat(result.status()).isEqualTo(Status.NOT_RUN);
		assertThat(output).contains("WARN")
			.contains("ACME self-check found no plain-HTTP port on this server, but ACME "
					+ "validators request challenges over plain HTTP: set acme.http-port");
	}

	@Test
	void warnsWhenAnsweredBySomethingElse(CapturedOutput output) {
		Result result = awaitResult(run(SinglePageApp.class, "acme.webroot=" + this.webroot));
		assertThat(result.status()).isEqualTo(Status.FAILED);
		assertThat(output).containsPattern("WARN .* ACME self-check failed on port \\d+: the request was answered by "
				+ "something else \\(status 200, body starting with \\[<!doctype html><title>app</title>\\]\\)");
	}

	@Test
	void warnsWhenRedirected(CapturedOutput output) {
		Result result = awaitResult(run(ConfidentialApp.class, "acme.webroot=" + this.webroot));
		assertThat(result.status()).isEqualTo(Status.FAILED);
		assertThat(output).containsPattern("WARN .* ACME self-check failed on port \\d+: the request was redirected "
				+ "\\(status 302\\) to \\[https://127\\.0\\.0\\.1/\\.well-known/acme-challenge/<probe token>\\]");
	}

	@Test
	void warnsWhenDirectoryIsNotWritable(CapturedOutput output) throws Exception {
		Path challengeDirectory = Files.createDirectory(this.webroot.resolve("tokens"));
		makeReadOnly(challengeDirectory);
		ConfigurableApplicationContext context = run(App.class, "acme.challenge-directory=" + challengeDirectory);
		Result result = awaitResult(context);
		assertThat(context.isActive()).isTrue();
		assertThat(result.status()).isEqualTo(Status.NOT_RUN);
		assertThat(output).contains("WARN").contains("ACME self-check could not write a probe token: the "
				+ "challenge directory [" + challengeDirectory + "] is not writable by this process");
	}

	@Test
	void warnsWhenConnectionIsRefused(CapturedOutput output) throws IOException {
		InetSocketAddress closed = closedPort();
		ChallengeSelfCheck selfCheck = new ChallengeSelfCheck((token) -> Optional.empty());
		Result result = selfCheck.run(new WebrootProbeWriter(this.webroot), List.of(closed));
		assertThat(result.status()).isEqualTo(Status.FAILED);
		assertThat(output).contains("ACME self-check failed on port " + closed.getPort()
				+ ": could not connect to [127.0.0.1:" + closed.getPort() + "]: Connection refused");
	}

	@Test
	void warnsWhenServerDoesNotAnswer(CapturedOutput output) throws IOException {
		try (ServerSocket silent = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			ChallengeSelfCheck selfCheck = new ChallengeSelfCheck((token) -> Optional.empty(),
					Duration.ofSeconds(2), Duration.ofMillis(300), Clock.systemUTC());
			Result result = selfCheck.run(new WebrootProbeWriter(this.webroot),
					List.of(new InetSocketAddress(InetAddress.getLoopbackAddress(), silent.getLocalPort())));
			assertThat(result.status()).isEqualTo(Status.FAILED);
			assertThat(output).contains("ACME self-check failed on port " + silent.getLocalPort()
					+ ": no answer from [127.0.0.1:" + silent.getLocalPort() + "] within the timeout");
		}
	}

	@Test
	void failedWriteLeavesNoProbe() throws IOException {
		ChallengeProbeWriter failingWriter = new ChallengeProbeWriter() {

			@Override
			public void write(String token, String keyAuthorization) throws IOException {
				Files.createFile(challengeDirectory().resolve(token));
				throw new IOException("No space left on device");
			}

			@Override
			public void delete(String token) throws IOException {
				Files.deleteIfExists(challengeDirectory().resolve(token));
			}

			@Override
			public String location() {
				return "test directory";
			}

		};
		ChallengeSelfCheck selfCheck = new ChallengeSelfCheck((token) -> Optional.empty());
		Result result = selfCheck.run(failingWriter, List.of(closedPort()));
		assertThat(result.status()).isEqualTo(Status.NOT_RUN);
		try (Stream<Path> files = Files.list(challengeDirectory())) {
			assertThat(files).isEmpty();
		}
	}

	private Path challengeDirectory() {
		return this.webroot.resolve(".well-known/acme-challenge");
	}

	@Test
	void warnsWhenNoPlainHttpPort(CapturedOutput output) {
		ChallengeSelfCheck selfCheck = new ChallengeSelfCheck((token) -> Optional.empty());
		Result result = selfCheck.run(new WebrootProbeWriter(this.webroot), List.of());
		assertThat(result.status()).isEqualTo(Status.NOT_RUN);
		assertThat(output).contains("ACME self-check found no plain-HTTP port on this server");
	}

	@Test
	void skipsStoresWithoutProbeSupport(CapturedOutput output) {
		ConfigurableApplicationContext context = run(CustomStoreApp.class, "acme.webroot=" + this.webroot,
				"logging.level.dev.acmechallenge.autoconfigure.ChallengeSelfCheck=debug");
		Result result = awaitResult(context);
		assertThat(result.status()).isEqualTo(Status.NOT_RUN);
		assertThat(output).contains("Skipping the ACME self-check: the challenge store custom store "
				+ "does not support writing probe tokens");
	}

	@Test
	void isOffWhenDisabled() {
		ConfigurableApplicationContext context = run(App.class, "acme.webroot=" + this.webroot,
				"acme.self-check.enabled=false");
		assertThat(context.getBeanProvider(ChallengeSelfCheck.class).getIfAvailable()).isNull();
	}

	@Test
	void recordsCompletionTime() {
		Instant before = Instant.now();
		Result result = awaitResult(run(App.class, "acme.webroot=" + this.webroot));
		assertThat(result.time()).isBetween(before, Instant.now());
	}

	private ConfigurableApplicationContext run(Class<?> application, String... properties) {
		ConfigurableApplicationContext context = new SpringApplicationBuilder(application)
			.properties("server.port=0", "server.address=127.0.0.1")
			.properties(properties)
			.run();
		this.contexts.add(context);
		return context;
	}

	private static String[] withSsl(String... properties) {
		List<String> all = new ArrayList<>(List.of(TestKeyStore.serverSslProperties()));
		all.addAll(List.of(properties));
		return all.toArray(String[]::new);
	}

	private static Result awaitResult(ConfigurableApplicationContext context) {
		ChallengeSelfCheck selfCheck = context.getBean(ChallengeSelfCheck.class);
		return await().atMost(RESULT_DEADLINE).until(selfCheck::getLastResult, (result) -> result != null);
	}

	/**
	 * Makes a directory read-only for this process. Permissions alone do not stop root, so for root
	 * the directory is also marked immutable.
	 */
	private void makeReadOnly(Path directory) throws Exception {
		Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("r-xr-xr-x"));
		if (Files.isWritable(directory)) {
			int exitCode = new ProcessBuilder("chattr", "+i", directory.toString()).inheritIO().start().waitFor();
			assumeTrue(exitCode == 0, "chattr +i failed, so the directory stays writable for this user");
			this.immutableDirectories.add(directory);
		}
	}

	private static InetSocketAddress closedPort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return new InetSocketAddress(InetAddress.getLoopbackAddress(), socket.getLocalPort());
		}
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class App {

	}

	/**
	 * Application whose Tomcat context redirects every request to HTTPS through a
	 * {@code CONFIDENTIAL} security constraint, which Tomcat enforces before any filter runs.
	 */
	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class ConfidentialApp {

		@Bean
		TomcatContextCustomizer confidentialConstraint() {
			return (Context context) -> {
				SecurityCollection everything = new SecurityCollection();
				everything.addPattern("/*");
				SecurityConstraint constraint = new SecurityConstraint();
				constraint.setUserConstraint("CONFIDENTIAL");
				constraint.addCollection(everything);
				context.addConstraint(constraint);
			};
		}

	}

	/**
	 * Application behind a Tomcat valve that returns the page of a single-page app for every
	 * request before any filter runs, as a rewrite rule or a proxy in front of an application can.
	 */
	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class SinglePageApp {

		@Bean
		TomcatContextCustomizer singlePageValve() {
			return (Context context) -> context.getPipeline().addValve(new ValveBase() {

				@Override
				public void invoke(Request request, Response response) throws IOException {
					response.setStatus(200);
					response.setContentType("text/html");
					response.getWriter().write("<!doctype html><title>app</title>");
				}

			});
		}

	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class CustomStoreApp {

		@Bean
		ChallengeStore customStore() {
			return new ChallengeStore() {

				@Override
				public Optional<String> findKeyAuthorization(String token) {
					return Optional.empty();
				}

				@Override
				public String toString() {
					return "custom store";
				}

			};
		}

	}

}
