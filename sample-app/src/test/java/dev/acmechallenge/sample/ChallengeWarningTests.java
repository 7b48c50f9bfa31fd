package dev.acmechallenge.sample;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static dev.acmechallenge.sample.ChallengeAssertions.assertChallengeNotFound;
import static dev.acmechallenge.sample.ChallengeFiles.CHALLENGE_PATH;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * WARN lines that tell an operator why a challenge request got {@code 404}. The store writes at
 * most 10 such lines a minute, so this class has a context of its own and makes fewer misses.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "server.address=127.0.0.1")
@ExtendWith(OutputCaptureExtension.class)
class ChallengeWarningTests {

	@TempDir
	static Path webroot;

	@LocalServerPort
	int port;

	LoopbackHttpClient http;

	String token;

	@DynamicPropertySource
	static void acmeProperties(DynamicPropertyRegistry registry) {
		registry.add("acme.webroot", () -> webroot.toString());
	}

	@BeforeEach
	void createClientAndToken() throws IOException {
		Files.createDirectories(ChallengeFiles.challengeDirectory(webroot));
		this.http = LoopbackHttpClient.ipv4(this.port);
		this.token = ChallengeFiles.newToken();
	}

	@Test
	void missNamesPathLookedUp(CapturedOutput output) throws Exception {
		assertChallengeNotFound(this.http.get(CHALLENGE_PATH + this.token));
		Path file = ChallengeFiles.challengeDirectory(webroot).resolve(this.token);
		assertThat(warning(output, "[" + file + "]")).contains("No ACME challenge file at [" + file + "]");
	}

	@Test
	void oversizeFileNamed(CapturedOutput output) throws Exception {
		Path file = ChallengeFiles.write(webroot, this.token, "k".repeat(8 * 1024 + 1));
		assertChallengeNotFound(this.http.get(CHALLENGE_PATH + this.token));
		assertThat(warning(output, "[" + file + "]"))
			.contains("its size of 8193 bytes is larger than the maximum of 8192 bytes set by acme.max-file-size");
	}

	@Test
	void symlinkLeavingDirectoryNamed(CapturedOutput output) throws Exception {
		Path secret = Files.writeString(webroot.resolve("secret-" + this.token), "secret");
		Path link = Files.createSymbolicLink(ChallengeFiles.challengeDirectory(webroot).resolve(this.token), secret);
		assertChallengeNotFound(this.http.get(CHALLENGE_PATH + this.token));
		assertThat(warning(output, "[" + link + "]"))
			.contains("it is a symbolic link that leaves the challenge directory");
	}

	@Test
	void directoryNamedLikeTokenNamed(CapturedOutput output) throws Exception {
		Path directory = Files.createDirectory(ChallengeFiles.challengeDirectory(webroot).resolve(this.token));
		assertChallengeNotFound(this.http.get(CHALLENGE_PATH + this.token));
		assertThat(warning(output, "[" + directory + "]")).contains("not a regular file");
	}

	@Test
	void invalidTokenNotLoggedAtWarn(CapturedOutput output) throws Exception {
		assertChallengeNotFound(this.http.get(CHALLENGE_PATH + "not-a-token"));
		assertThat(output.getOut()).doesNotContain("not-a-token");
	}

	/**
	 * Returns the WARN line that contains the given text.
	 */
	private static String warning(CapturedOutput output, String text) {
		String line = output.getOut()
			.lines()
			.filter((candidate) -> candidate.contains(text))
			.findFirst()
			.orElseThrow(() -> new AssertionError("No log line contains [" + text + "]"));
		assertThat(line).contains(" WARN ");
		return line;
	}

}
