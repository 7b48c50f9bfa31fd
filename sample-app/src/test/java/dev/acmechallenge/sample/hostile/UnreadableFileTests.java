package dev.acmechallenge.sample.hostile;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A token file that the application's process cannot read.
 * <p>
 * The tests run as root, and root reads a file whatever its mode. So when the tests run as root,
 * the application runs in a child JVM started through {@code setpriv} with
 * {@code CAP_DAC_OVERRIDE} and {@code CAP_DAC_READ_SEARCH} removed from its capability bounding
 * set. The child keeps user id 0, so it still reads the root-owned class path, but file modes
 * now apply to it as to any other user, and a file with mode {@code 000} cannot be opened. As
 * another user the child runs without {@code setpriv}, and the mode alone makes the file
 * unreadable.
 */
class UnreadableFileTests {

	private static final String TOKEN = "Unreadable_Token_0123456789";

	@TempDir
	Path temp;

	@Test
	void unreadableFile() throws Exception {
		HostileWebroot webroot = HostileWebroot.create(this.temp.resolve("base"));
		Path file = webroot.challengeDirectory().resolve(TOKEN);
		Files.writeString(file, HostileWebroot.keyAuthorizationFor(TOKEN));
		Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("---------"));
		List<String> launcher = "root".equals(System.getProperty("user.name"))
				? List.of("setpriv", "--bounding-set=-dac_override,-dac_read_search") : List.of();
		try (ChildApplication child = ChildApplication.start(launcher, Map.of(),
				List.of("--acme.webroot=" + webroot.webroot()), this.temp.resolve("child.log"))) {
			RawHttp http = new RawHttp(child.awaitPort());
			RawHttp.Response response = http.get("/.well-known/acme-challenge/" + TOKEN);
			assertThat(response.status()).isEqualTo(404);
			assertThat(response.contains(HostileWebroot.keyAuthorizationFor(TOKEN))).isFalse();
			assertThat(child.output()).contains("Failed to read ACME challenge file [" + file
					+ "]: java.nio.file.AccessDeniedException");
			RawHttp.Response control = http.get("/.well-known/acme-challenge/" + HostileWebroot.CONTROL_TOKEN);
			assertThat(control.status()).isEqualTo(200);
			assertThat(control.bodyText())
				.isEqualTo(HostileWebroot.keyAuthorizationFor(HostileWebroot.CONTROL_TOKEN));
			assertThat(http.get("/about").status()).isEqualTo(200);
		}
	}

}
