package dev.acmechallenge.sample.hostile;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Web roots and challenge directories in unusual places: reached through a symbolic link, or
 * with spaces and non-ASCII characters in their path. Symbolic-link checks compare real paths,
 * so a link above the challenge directory must not stop tokens, or links between tokens, from
 * being served.
 */
@ExtendWith(OutputCaptureExtension.class)
class WebrootLocationTests {

	private static final String LINK_TOKEN = "Linked_Token_0123456789abcdef";

	@TempDir
	Path temp;

	@Test
	void webrootThroughSymlink() throws IOException {
		HostileWebroot webroot = HostileWebroot.create(this.temp.resolve("real"));
		Path link = Files.createSymbolicLink(this.temp.resolve("link"), webroot.webroot());
		try (SampleServer server = SampleServer.start(Map.of("acme.webroot", link.toString()))) {
			assertServesTokens(server, webroot);
		}
	}

	@Test
	void challengeDirectoryThroughSymlink() throws IOException {
		HostileWebroot webroot = HostileWebroot.create(this.temp.resolve("real"));
		Path link = Files.createSymbolicLink(this.temp.resolve("link"), webroot.challengeDirectory());
		Map<String, String> properties = Map.of("acme.challenge-directory", link.toString(),
				"spring.config.name", "no-application-properties");
		try (SampleServer server = SampleServer.start(properties)) {
			assertServesTokens(server, webroot);
		}
	}

	@Test
	void webrootWithSpacesAndNonAscii(CapturedOutput output) throws IOException {
		HostileWebroot webroot = HostileWebroot.create(this.temp.resolve("web root ünïcödé 日本 ☃"));
		try (SampleServer server = SampleServer.start(Map.of("acme.webroot", webroot.webroot().toString()))) {
			assertServesTokens(server, webroot);
		}
		assertThat(output).contains("Serving ACME challenges from [" + webroot.challengeDirectory() + "]");
	}

	/**
	 * Checks that the control token is served, that a link to it from inside the directory is
	 * served, and that a link to a secret outside is not.
	 */
	private static void assertServesTokens(SampleServer server, HostileWebroot webroot) throws IOException {
		String keyAuthorization = HostileWebroot.keyAuthorizationFor(HostileWebroot.CONTROL_TOKEN);
		RawHttp.Response control = server.http().get("/.well-known/acme-challenge/" + HostileWebroot.CONTROL_TOKEN);
		assertThat(control.status()).as("control token status").isEqualTo(200);
		assertThat(control.bodyText()).as("control token body").isEqualTo(keyAuthorization);
		Files.createSymbolicLink(webroot.challengeDirectory().resolve(LINK_TOKEN), Path.of(HostileWebroot.CONTROL_TOKEN));
		RawHttp.Response linked = server.http().get("/.well-known/acme-challenge/" + LINK_TOKEN);
		assertThat(linked.status()).as("status of a link inside").isEqualTo(200);
		assertThat(linked.bodyText()).as("body of a link inside").isEqualTo(keyAuthorization);
		Files.delete(webroot.challengeDirectory().resolve(LINK_TOKEN));
		Files.createSymbolicLink(webroot.challengeDirectory().resolve(LINK_TOKEN),
				webroot.base().resolve(HostileWebroot.ABOVE_SECRET_NAME));
		RawHttp.Response leaving = server.http().get("/.well-known/acme-challenge/" + LINK_TOKEN);
		assertThat(leaving.status()).as("status of a link leaving the directory").isEqualTo(404);
		assertThat(webroot.leakedSecret(leaving)).as("secret behind a link leaving the directory").isNull();
		assertThat(server.http().get("/about").status()).as("page status").isEqualTo(200);
	}

}
