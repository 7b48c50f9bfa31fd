package dev.acmechallenge.sample.acme;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestInstance.Lifecycle;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.util.FileSystemUtils;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Obtains a certificate from Pebble the way a shared host's TLS setup script does: a shell script
 * of the host writes each token, with the trailing newline of {@code echo}, into
 * {@code .well-known/acme-challenge} below the site's public directory, and the app's
 * {@code acme.webroot} points at that public directory. Certbot drives the script through its
 * manual hooks and runs once for the whole class.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "server.address=127.0.0.1")
@TestInstance(Lifecycle.PER_CLASS)
@ExtendWith(OutputCaptureExtension.class)
class HostingScriptTests {

	private static final String DOMAIN = "app.test";

	/**
	 * Host script that publishes one token, as {@code CERTBOT_TOKEN} and {@code CERTBOT_VALIDATION}
	 * provide it, under the public directory given as its first argument.
	 */
	private static final String PUBLISH_SCRIPT = """
			#!/bin/sh
			set -eu
			mkdir -p "$1/.well-known/acme-challenge"
			echo "$CERTBOT_VALIDATION" > "$1/.well-known/acme-challenge/$CERTBOT_TOKEN"
			""";

	private static final String REMOVE_SCRIPT = """
			#!/bin/sh
			set -eu
			rm -f "$1/.well-known/acme-challenge/$CERTBOT_TOKEN"
			""";

	/**
	 * Directory for the public directory, the scripts and the files of Pebble and certbot, created
	 * before the application context, which needs the public directory, starts.
	 */
	private static final Path directory = createTemporaryDirectory();

	private static final Path publicDirectory = directory.resolve("public_html");

	@LocalServerPort
	private int port;

	private Pebble pebble;

	private Certbot.Result result;

	@DynamicPropertySource
	static void acmeProperties(DynamicPropertyRegistry registry) {
		registry.add("acme.webroot", publicDirectory::toString);
	}

	@BeforeAll
	void obtainCertificate() throws IOException {
		Path publish = Files.writeString(directory.resolve("publish-token.sh"), PUBLISH_SCRIPT);
		Path remove = Files.writeString(directory.resolve("remove-token.sh"), REMOVE_SCRIPT);
		this.pebble = Pebble.start(Files.createDirectories(directory.resolve("pebble")), this.port);
		Certbot certbot = new Certbot(this.pebble, Files.createDirectories(directory.resolve("certbot")));
		this.result = certbot.manual("sh " + publish + " " + publicDirectory, "sh " + remove + " " + publicDirectory,
				DOMAIN);
	}

	@AfterAll
	void stopPebble() throws IOException {
		if (this.pebble != null) {
			this.pebble.close();
		}
		FileSystemUtils.deleteRecursively(directory);
	}

	@Test
	void certbotSucceeds() {
		assertThat(this.result.exitCode()).as(failureDetails()).isZero();
	}

	@Test
	void certificateFileExists() {
		assertThat(this.result.certificate()).as(failureDetails()).isRegularFile();
	}

	@Test
	void logShowsServedChallenge(CapturedOutput output) {
		assertThat(output).as(failureDetails())
			.containsPattern("Served ACME challenge token \\[[A-Za-z0-9_-]{43}\\] to 127\\.0\\.0\\.1 "
					+ "\\(User-Agent \\[LetsEncrypt-Pebble-VA");
	}

	@Test
	void scriptRemovesTokenFiles() throws IOException {
		Path challengeDirectory = publicDirectory.resolve(".well-known/acme-challenge");
		assertThat(challengeDirectory).as(failureDetails()).isDirectory();
		try (Stream<Path> files = Files.list(challengeDirectory)) {
			assertThat(files).isEmpty();
		}
	}

	private String failureDetails() {
		return "certbot run:\n" + this.result.output() + "\n" + this.pebble.output();
	}

	private static Path createTemporaryDirectory() {
		try {
			Path created = Files.createTempDirectory("hosting-script-tests");
			Files.createDirectory(created.resolve("public_html"));
			return created;
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Failed to create a temporary directory", ex);
		}
	}

}
