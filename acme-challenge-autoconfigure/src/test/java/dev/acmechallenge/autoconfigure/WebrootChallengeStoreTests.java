package dev.acmechallenge.autoconfigure;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link WebrootChallengeStore}.
 */
@ExtendWith(OutputCaptureExtension.class)
class WebrootChallengeStoreTests {

	private static final String TOKEN = "Token_0123456789abcdefghij";

	private static final String KEY_AUTHORIZATION = TOKEN + ".Thumbprint_0123456789abcdefghijklmnopqrstu";

	private static final int MAX_FILE_SIZE = 100;

	@TempDir
	Path temp;

	private Path directory;

	private WebrootChallengeStore store;

	@BeforeEach
	void createStore() throws IOException {
		this.directory = Files.createDirectories(this.temp.resolve("webroot/.well-known/acme-challenge"));
		this.store = new WebrootChallengeStore(this.directory, MAX_FILE_SIZE);
	}

	@Test
	void servesFileContent() throws IOException {
		Files.writeString(this.directory.resolve(TOKEN), KEY_AUTHORIZATION);
		assertThat(this.store.findKeyAuthorization(TOKEN)).contains(KEY_AUTHORIZATION);
	}

	@Test
	void removesTrailingNewline() throws IOException {
		Files.writeString(this.directory.resolve(TOKEN), KEY_AUTHORIZATION + "\n");
		assertThat(this.store.findKeyAuthorization(TOKEN)).contains(KEY_AUTHORIZATION);
	}

	@Test
	void removesTrailingCrlf() throws IOException {
		Files.writeString(this.directory.resolve(TOKEN), KEY_AUTHORIZATION + "\r\n");
		assertThat(this.store.findKeyAuthorization(TOKEN)).contains(KEY_AUTHORIZATION);
	}

	@Test
	void removesMixedTrailingWhitespace() throws IOException {
		Files.writeString(this.directory.resolve(TOKEN), KEY_AUTHORIZATION + " \t\r\n\t\n \r\n");
		assertThat(this.store.findKeyAuthorization(TOKEN)).contains(KEY_AUTHORIZATION);
	}

	@Test
	void keepsLeadingWhitespace() throws IOException {
		Files.writeString(this.directory.resolve(TOKEN), " \t" + KEY_AUTHORIZATION + "\n");
		assertThat(this.store.findKeyAuthorization(TOKEN)).contains(" \t" + KEY_AUTHORIZATION);
	}

	@Test
	void servesFileAtSizeLimit() throws IOException {
		String content = "k".repeat(MAX_FILE_SIZE);
		Files.writeString(this.directory.resolve(TOKEN), content);
		assertThat(this.store.findKeyAuthorization(TOKEN)).contains(content);
	}

	@Test
	void rejectsFileAboveSizeLimit(CapturedOutput output) throws IOException {
		Path file = Files.writeString(this.directory.resolve(TOKEN), "k".repeat(MAX_FILE_SIZE + 1));
		assertThat(this.store.findKeyAuthorization(TOKEN)).isEmpty();
		assertThat(output).contains("Not serving ACME challenge file [" + file + "]: its size of 101 bytes is larger "
				+ "than the maximum of 100 bytes set by acme.max-file-size");
	}

	@Test
	void rejectsEmptyFile(CapturedOutput output) throws IOException {
		Path file = Files.writeString(this.directory.resolve(TOKEN), " \n");
		assertThat(this.store.findKeyAuthorization(TOKEN)).isEmpty();
		assertThat(output).contains("Not serving ACME challenge file [" + file + "]: it is empty");
	}

	@Test
	void rejectsHardLinkedFile(CapturedOutput output) throws IOException {
		Path outside = Files.writeString(this.temp.resolve("secret.txt"), "secret");
		Path file = Files.createLink(this.directory.resolve(TOKEN), outside);
		assertThat(this.store.findKeyAuthorization(TOKEN)).isEmpty();
		assertThat(output).contains("Not serving ACME challenge file [" + file + "]: it has 2 hard links");
	}

	@Test
	void servesSymlinkToFileInside() throws IOException {
		Path target = Files.writeString(this.directory.resolve("written-by-client"), KEY_AUTHORIZATION);
		Files.createSymbolicLink(this.directory.resolve(TOKEN), target);
		assertThat(this.store.findKeyAuthorization(TOKEN)).contains(KEY_AUTHORIZATION);
	}

	@Test
	void servesRelativeSymlinkToFileInside() throws IOException {
		Files.writeString(this.directory.resolve("written-by-client"), KEY_AUTHORIZATION);
		Files.createSymbolicLink(this.directory.resolve(TOKEN), Path.of("written-by-client"));
		assertThat(this.store.findKeyAuthorization(TOKEN)).contains(KEY_AUTHORIZATION);
	}

	@Test
	void servesSymlinkWhenDirectoryIsReachedThroughSymlink() throws IOException {
		Files.writeString(this.directory.resolve("written-by-client"), KEY_AUTHORIZATION);
		Files.createSymbolicLink(this.directory.resolve(TOKEN), Path.of("written-by-client"));
		Path linkedDirectory = Files.createSymbolicLink(this.temp.resolve("linked"), this.directory);
		WebrootChallengeStore linkedStore = new WebrootChallengeStore(linkedDirectory, MAX_FILE_SIZE);
		assertThat(linkedStore.findKeyAuthorization(TOKEN)).contains(KEY_AUTHORIZATION);
	}

	@Test
	void rejectsSymlinkLeavingDirectory(CapturedOutput output) throws IOException {
		Path secret = Files.writeString(this.temp.resolve("secret.txt"), "secret");
		Path link = Files.createSymbolicLink(this.directory.resolve(TOKEN), secret);
		assertThat(this.store.findKeyAuthorization(TOKEN)).isEmpty();
		assertThat(output).contains("Not serving ACME challenge file [" + link
				+ "]: it is a symbolic link that leaves the challenge directory");
	}

	@Test
	void rejectsRelativeSymlinkLeavingDirectory(CapturedOutput output) throws IOException {
		Files.writeString(this.temp.resolve("secret.txt"), "secret");
		Path link = Files.createSymbolicLink(this.directory.resolve(TOKEN), Path.of("../../../secret.txt"));
		assertThat(this.store.findKeyAuthorization(TOKEN)).isEmpty();
		assertThat(output).contains("Not serving ACME challenge file [" + link
				+ "]: it is a symbolic link that leaves the challenge directory");
	}

	@Test
	void rejectsSymlinkIntoSubdirectory(CapturedOutput output) throws IOException {
		Path subdirectory = Files.createDirectory(this.directory.resolve("nested"));
		Path target = Files.writeString(subdirectory.resolve("file"), KEY_AUTHORIZATION);
		Path link = Files.createSymbolicLink(this.directory.resolve(TOKEN), target);
		assertThat(this.store.findKeyAuthorization(TOKEN)).isEmpty();
		assertThat(output).contains("Not serving ACME challenge file [" + link
				+ "]: it is a symbolic link that leaves the challenge directory");
	}

	@Test
	void rejectsSymlinkToDirectoryInside(CapturedOutput output) throws IOException {
		Path subdirectory = Files.createDirectory(this.directory.resolve("nested"));
		Path link = Files.createSymbolicLink(this.directory.resolve(TOKEN), subdirectory);
		assertThat(this.store.findKeyAuthorization(TOKEN)).isEmpty();
		assertThat(output).contains("Not serving ACME challenge file [" + link + "]: not a regular file");
	}

	@Test
	void rejectsDanglingSymlink(CapturedOutput output) throws IOException {
		Path link = Files.createSymbolicLink(this.directory.resolve(TOKEN), this.directory.resolve("deleted"));
		assertThat(this.store.findKeyAuthorization(TOKEN)).isEmpty();
		assertThat(output).contains("No ACME challenge file at [" + link + "]");
	}

	@Test
	void rejectsDirectoryNamedLikeToken(CapturedOutput output) throws IOException {
		Path tokenDirectory = Files.createDirectory(this.directory.resolve(TOKEN));
		Files.writeString(tokenDirectory.resolve("index.html"), KEY_AUTHORIZATION);
		assertThat(this.store.findKeyAuthorization(TOKEN)).isEmpty();
		assertThat(output).contains("Not serving ACME challenge file [" + tokenDirectory + "]: not a regular file");
	}

	@Test
	void missingFile(CapturedOutput output) {
		assertThat(this.store.findKeyAuthorization(TOKEN)).isEmpty();
		assertThat(output).contains("No ACME challenge file at [" + this.directory.resolve(TOKEN)
				+ "]: check that the ACME client writes to this directory");
	}

	@Test
	void missingFileLogsWarning(CapturedOutput output) {
		this.store.findKeyAuthorization(TOKEN);
		String line = output.getOut()
			.lines()
			.filter((candidate) -> candidate.contains("No ACME challenge file at"))
			.findFirst()
			.orElseThrow();
		assertThat(line).contains("WARN");
	}

	@Test
	void missingDirectory(CapturedOutput output) throws IOException {
		Path missing = this.temp.resolve("missing/.well-known/acme-challenge");
		WebrootChallengeStore missingStore = new WebrootChallengeStore(missing, MAX_FILE_SIZE);
		assertThat(missingStore.findKeyAuthorization(TOKEN)).isEmpty();
		assertThat(output).contains("No ACME challenge file at [" + missing.resolve(TOKEN) + "]");
	}

	@Test
	void readsFileOnEveryLookup() throws IOException {
		Path file = this.directory.resolve(TOKEN);
		assertThat(this.store.findKeyAuthorization(TOKEN)).isEmpty();
		Files.writeString(file, KEY_AUTHORIZATION);
		assertThat(this.store.findKeyAuthorization(TOKEN)).contains(KEY_AUTHORIZATION);
		Files.writeString(file, KEY_AUTHORIZATION + "2");
		assertThat(this.store.findKeyAuthorization(TOKEN)).contains(KEY_AUTHORIZATION + "2");
		Files.delete(file);
		assertThat(this.store.findKeyAuthorization(TOKEN)).isEmpty();
	}

	@Test
	void limitsMissWarnings(CapturedOutput output) {
		for (int i = 0; i < 15; i++) {
			this.store.findKeyAuthorization(TOKEN + i);
		}
		assertThat(output.getOut().lines().filter((line) -> line.contains("No ACME challenge file at")))
			.hasSize(10);
		assertThat(output).contains("[" + this.directory.resolve(TOKEN + 9) + "]");
		assertThat(output).doesNotContain("[" + this.directory.resolve(TOKEN + 10) + "]");
	}

	@Test
	void neverWritesToDirectory() throws IOException {
		Files.writeString(this.directory.resolve(TOKEN), KEY_AUTHORIZATION);
		this.store.findKeyAuthorization(TOKEN);
		this.store.findKeyAuthorization(TOKEN + "Missing");
		try (var files = Files.list(this.directory)) {
			assertThat(files).containsExactly(this.directory.resolve(TOKEN));
		}
	}

}
