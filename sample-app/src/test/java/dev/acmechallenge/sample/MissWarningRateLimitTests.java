package dev.acmechallenge.sample;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

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
 * Rate limit of the WARN line for a missing token file: at most 10 lines a minute, each naming the
 * exact path looked up. The class has a context of its own so that no other test uses up the
 * quota.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "server.address=127.0.0.1")
@ExtendWith(OutputCaptureExtension.class)
class MissWarningRateLimitTests {

	@TempDir
	static Path webroot;

	@LocalServerPort
	int port;

	@DynamicPropertySource
	static void acmeProperties(DynamicPropertyRegistry registry) {
		registry.add("acme.webroot", () -> webroot.toString());
	}

	@Test
	void missesLoggedUpToQuota(CapturedOutput output) throws Exception {
		// The one-minute interval starts when the store is created at startup, just before this test runs.
		LoopbackHttpClient http = LoopbackHttpClient.ipv4(this.port);
		List<Path> paths = new ArrayList<>();
		for (int i = 0; i < 15; i++) {
			String token = ChallengeFiles.newToken();
			paths.add(ChallengeFiles.challengeDirectory(webroot).resolve(token));
			assertChallengeNotFound(http.get(CHALLENGE_PATH + token));
		}
		for (Path path : paths.subList(0, 10)) {
			assertThat(output.getOut()).contains("No ACME challenge file at [" + path + "]");
		}
		for (Path path : paths.subList(10, 15)) {
			assertThat(output.getOut()).doesNotContain(path.getFileName().toString());
		}
		assertThat(output.getOut().lines().filter((line) -> line.contains("No ACME challenge file at")))
			.hasSize(10);
	}

}
