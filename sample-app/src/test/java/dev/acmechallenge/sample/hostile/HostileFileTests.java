package dev.acmechallenge.sample.hostile;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * Token files that are not what an ACME client writes: symbolic and hard links, directories,
 * FIFOs, oversized, empty, changing or vanishing files. Each case checks the status, the WARN line
 * that gives the operator the reason, and that the application then still serves another token
 * and its own pages.
 * <p>
 * Each test starts its own application, because the store writes at most ten miss warnings a
 * minute and a shared application would suppress the lines that later tests look for.
 */
@ExtendWith(OutputCaptureExtension.class)
class HostileFileTests {

	private static final String TOKEN = "Hostile_File_Token_0123456789";

	private static final Duration DEADLINE = Duration.ofSeconds(5);

	/**
	 * Number of requests sent while a file changes underneath them.
	 */
	private static final int RACE_REQUESTS = 3000;

	private static final int MAX_FILE_SIZE = 8192;

	@TempDir
	Path temp;

	private HostileWebroot webroot;

	private SampleServer server;

	private Path file;

	@BeforeEach
	void startServer() {
		this.webroot = HostileWebroot.create(this.temp);
		this.server = SampleServer.start(Map.of("acme.webroot", this.webroot.webroot().toString()));
		this.file = this.webroot.challengeDirectory().resolve(TOKEN);
	}

	@AfterEach
	void stopServer() {
		this.server.close();
	}

	@Test
	void symlinkLeavingDirectory(CapturedOutput output) throws IOException {
		Files.createSymbolicLink(this.file, this.temp.resolve(HostileWebroot.ABOVE_SECRET_NAME));
		RawHttp.Response response = fetch(TOKEN);
		assertThat(response.status()).isEqualTo(404);
		assertThat(this.webroot.leakedSecret(response)).isNull();
		assertThat(output).contains("Not serving ACME challenge file [" + this.file
				+ "]: it is a symbolic link that leaves the challenge directory");
		assertStillServing();
	}

	@Test
	void relativeSymlinkLeavingDirectory(CapturedOutput output) throws IOException {
		Files.createSymbolicLink(this.file, Path.of("..", HostileWebroot.BESIDE_SECRET_NAME));
		RawHttp.Response response = fetch(TOKEN);
		assertThat(response.status()).isEqualTo(404);
		assertThat(this.webroot.leakedSecret(response)).isNull();
		assertThat(output).contains("Not serving ACME challenge file [" + this.file
				+ "]: it is a symbolic link that leaves the challenge directory");
		assertStillServing();
	}

	@Test
	void symlinkChainLeavingDirectory(CapturedOutput output) throws IOException {
		Path hop = this.webroot.challengeDirectory().resolve("Hop_Token_0123456789abcdef");
		Files.createSymbolicLink(hop, this.webroot.webroot().resolve(HostileWebroot.WEBROOT_SECRET_NAME));
		Files.createSymbolicLink(this.file, hop.getFileName());
		RawHttp.Response response = fetch(TOKEN);
		assertThat(response.status()).isEqualTo(404);
		assertThat(this.webroot.leakedSecret(response)).isNull();
		assertThat(output).contains("Not serving ACME challenge file [" + this.file
				+ "]: it is a symbolic link that leaves the challenge directory");
		assertStillServing();
	}

	@Test
	void symlinkToFileInside() throws IOException {
		String target = HostileWebroot.token(30);
		String keyAuthorization = this.webroot.writeToken(target);
		Files.createSymbolicLink(this.file, Path.of(target));
		RawHttp.Response response = fetch(TOKEN);
		assertThat(response.status()).isEqualTo(200);
		assertThat(response.bodyText()).isEqualTo(keyAuthorization);
		assertStillServing();
	}

	@Test
	void symlinkIntoSubdirectory(CapturedOutput output) throws IOException {
		Path subdirectory = Files.createDirectory(this.webroot.challengeDirectory().resolve("nested"));
		Path target = Files.writeString(subdirectory.resolve("file"), HostileWebroot.keyAuthorizationFor(TOKEN));
		Files.createSymbolicLink(this.file, target);
		RawHttp.Response response = fetch(TOKEN);
		assertThat(response.status()).isEqualTo(404);
		assertThat(output).contains("Not serving ACME challenge file [" + this.file
				+ "]: it is a symbolic link that leaves the challenge directory");
		assertStillServing();
	}

	@Test
	void hardLinkToFileOutside(CapturedOutput output) throws IOException {
		Files.createLink(this.file, this.temp.resolve(HostileWebroot.ABOVE_SECRET_NAME));
		RawHttp.Response response = fetch(TOKEN);
		assertThat(response.status()).isEqualTo(404);
		assertThat(this.webroot.leakedSecret(response)).isNull();
		assertThat(output).contains("Not serving ACME challenge file [" + this.file + "]: it has 2 hard links");
		assertStillServing();
	}

	@Test
	void directoryNamedLikeToken(CapturedOutput output) throws IOException {
		Files.createDirectory(this.file);
		Files.writeString(this.file.resolve("index.html"), HostileWebroot.keyAuthorizationFor(TOKEN));
		RawHttp.Response response = fetch(TOKEN);
		assertThat(response.status()).isEqualTo(404);
		assertThat(output).contains("Not serving ACME challenge file [" + this.file + "]: not a regular file");
		assertStillServing();
	}

	@Test
	void fifoNamedLikeToken(CapturedOutput output) throws Exception {
		makeFifo(this.file);
		RawHttp.Response response = assertTimeoutPreemptively(DEADLINE, () -> fetch(TOKEN));
		assertThat(response.status()).isEqualTo(404);
		assertThat(output).contains("Not serving ACME challenge file [" + this.file + "]: not a regular file");
		assertStillServing();
	}

	@Test
	void symlinkToFifoInside(CapturedOutput output) throws Exception {
		Path fifo = this.webroot.challengeDirectory().resolve("Fifo_Token_0123456789abcdef");
		makeFifo(fifo);
		Files.createSymbolicLink(this.file, fifo.getFileName());
		RawHttp.Response response = assertTimeoutPreemptively(DEADLINE, () -> fetch(TOKEN));
		assertThat(response.status()).isEqualTo(404);
		assertThat(output).contains("Not serving ACME challenge file [" + this.file + "]: not a regular file");
		assertStillServing();
	}

	@Test
	void fileAboveSizeLimit(CapturedOutput output) throws IOException {
		Files.write(this.file, new byte[MAX_FILE_SIZE + 1]);
		RawHttp.Response response = fetch(TOKEN);
		assertThat(response.status()).isEqualTo(404);
		assertThat(output).contains("Not serving ACME challenge file [" + this.file + "]: its size of "
				+ (MAX_FILE_SIZE + 1) + " bytes is larger than the maximum of " + MAX_FILE_SIZE
				+ " bytes set by acme.max-file-size");
		assertStillServing();
	}

	@Test
	void fileAtSizeLimit() throws IOException {
		String content = "x".repeat(MAX_FILE_SIZE);
		Files.writeString(this.file, content);
		RawHttp.Response response = fetch(TOKEN);
		assertThat(response.status()).isEqualTo(200);
		assertThat(response.header("Content-Length")).isEqualTo(Integer.toString(MAX_FILE_SIZE));
		assertThat(response.bodyText()).isEqualTo(content);
	}

	@Test
	void emptyFile(CapturedOutput output) throws IOException {
		Files.createFile(this.file);
		RawHttp.Response response = fetch(TOKEN);
		assertThat(response.status()).isEqualTo(404);
		assertThat(output).contains("Not serving ACME challenge file [" + this.file + "]: it is empty");
		assertStillServing();
	}

	@Test
	void whitespaceOnlyFile(CapturedOutput output) throws IOException {
		Files.writeString(this.file, " \r\n\t\n");
		RawHttp.Response response = fetch(TOKEN);
		assertThat(response.status()).isEqualTo(404);
		assertThat(output).contains("Not serving ACME challenge file [" + this.file + "]: it is empty");
		assertStillServing();
	}

	@Test
	void fileGrowingWhileRead(CapturedOutput output) throws Exception {
		String keyAuthorization = HostileWebroot.keyAuthorizationFor(TOKEN);
		Files.writeString(this.file, keyAuthorization);
		byte[] chunk = "-grown".getBytes(StandardCharsets.UTF_8);
		List<RawHttp.Response> responses = fetchWhile(() -> {
			if (Files.size(this.file) > 2 * MAX_FILE_SIZE) {
				Files.writeString(this.file, keyAuthorization);
			}
			Files.write(this.file, chunk, StandardOpenOption.APPEND);
		});
		for (RawHttp.Response response : responses) {
			assertThat(response.status()).as("status").isIn(200, 404);
			assertThat(response.bodyComplete()).as("Content-Length matches the body").isTrue();
			if (response.status() == 200) {
				assertThat(response.bodyText()).as("body").startsWith(keyAuthorization);
				assertThat(response.body().length).as("body length").isLessThanOrEqualTo(MAX_FILE_SIZE);
			}
		}
		assertThat(output).contains("bytes set by acme.max-file-size");
		assertStillServing();
	}

	@Test
	void fileTruncatedWhileRead(CapturedOutput output) throws Exception {
		String keyAuthorization = HostileWebroot.keyAuthorizationFor(TOKEN);
		Files.writeString(this.file, keyAuthorization);
		List<RawHttp.Response> responses = fetchWhile(() -> {
			Files.write(this.file, new byte[0], StandardOpenOption.TRUNCATE_EXISTING);
			Files.writeString(this.file, keyAuthorization);
		});
		assertCompleteOrNotFound(responses, keyAuthorization);
		assertWarningsOnlyFor(output, responses, "]: it is empty");
		assertStillServing();
	}

	/**
	 * Deletes and recreates the file while it is fetched. A request can find the file gone at
	 * the attribute check or at the open after it, or find it created but not yet written.
	 */
	@Test
	void fileDeletedWhileRead(CapturedOutput output) throws Exception {
		String keyAuthorization = HostileWebroot.keyAuthorizationFor(TOKEN);
		Files.writeString(this.file, keyAuthorization);
		List<RawHttp.Response> responses = fetchWhile(() -> {
			Files.deleteIfExists(this.file);
			Files.writeString(this.file, keyAuthorization);
		});
		assertCompleteOrNotFound(responses, keyAuthorization);
		assertWarningsOnlyFor(output, responses, "]: it is empty",
				"]: check that the ACME client writes to this directory");
		assertStillServing();
	}

	@Test
	void webrootDeletedAndRecreated(CapturedOutput output) throws IOException {
		HostileWebroot.delete(this.webroot.webroot());
		RawHttp.Response whileDeleted = fetch(HostileWebroot.CONTROL_TOKEN);
		assertThat(whileDeleted.status()).isEqualTo(404);
		assertThat(output).contains("No ACME challenge file at ["
				+ this.webroot.challengeDirectory().resolve(HostileWebroot.CONTROL_TOKEN) + "]");
		assertThat(this.server.http().get("/about").status()).isEqualTo(200);
		Files.createDirectories(this.webroot.challengeDirectory());
		this.webroot.writeToken(HostileWebroot.CONTROL_TOKEN);
		assertStillServing();
	}

	private void assertCompleteOrNotFound(List<RawHttp.Response> responses, String keyAuthorization) {
		for (RawHttp.Response response : responses) {
			assertThat(response.status()).as("status").isIn(200, 404);
			assertThat(response.bodyComplete()).as("Content-Length matches the body").isTrue();
			if (response.status() == 200) {
				assertThat(response.bodyText()).as("body").isEqualTo(keyAuthorization);
			}
		}
	}

	/**
	 * Checks that every WARN line about the file gives one of the expected reasons, and that there
	 * is at least one such line when a request got 404.
	 */
	private void assertWarningsOnlyFor(CapturedOutput output, List<RawHttp.Response> responses,
			String... reasons) {
		List<String> warnings = output.getOut()
			.lines()
			.filter((line) -> line.contains(" WARN ") && line.contains("[" + this.file + "]"))
			.toList();
		for (String warning : warnings) {
			assertThat(warning).as("WARN line about the file").containsAnyOf(reasons);
		}
		if (responses.stream().anyMatch((response) -> response.status() == 404)) {
			assertThat(warnings).as("WARN lines about the file after a 404").isNotEmpty();
		}
	}

	/**
	 * Fetches {@link #TOKEN} {@link #RACE_REQUESTS} times while another thread runs the given
	 * change to the file over and over.
	 */
	private List<RawHttp.Response> fetchWhile(FileChange change) throws Exception {
		AtomicBoolean fetching = new AtomicBoolean(true);
		ExecutorService writer = Executors.newSingleThreadExecutor();
		try {
			Future<?> changes = writer.submit(() -> {
				while (fetching.get()) {
					change.run();
				}
				return null;
			});
			List<RawHttp.Response> responses = new ArrayList<>();
			for (int i = 0; i < RACE_REQUESTS; i++) {
				responses.add(fetch(TOKEN));
			}
			fetching.set(false);
			changes.get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
			return responses;
		}
		finally {
			fetching.set(false);
			writer.shutdownNow();
		}
	}

	private RawHttp.Response fetch(String token) throws IOException {
		return this.server.http().get("/.well-known/acme-challenge/" + token);
	}

	private void assertStillServing() throws IOException {
		RawHttp.Response control = fetch(HostileWebroot.CONTROL_TOKEN);
		assertThat(control.status()).as("control token status").isEqualTo(200);
		assertThat(control.bodyText()).as("control token body")
			.isEqualTo(HostileWebroot.keyAuthorizationFor(HostileWebroot.CONTROL_TOKEN));
		assertThat(this.server.http().get("/about").status()).as("page status").isEqualTo(200);
	}

	private static void makeFifo(Path path) throws IOException, InterruptedException {
		Process mkfifo = new ProcessBuilder("mkfifo", path.toString()).inheritIO().start();
		assertThat(mkfifo.waitFor(DEADLINE.toSeconds(), TimeUnit.SECONDS)).as("mkfifo finished").isTrue();
		assertThat(mkfifo.exitValue()).as("mkfifo exit code").isZero();
	}

	@FunctionalInterface
	private interface FileChange {

		void run() throws IOException;

	}

}
