package dev.acmechallenge.sample.hostile;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Client threads fetch tokens for a fixed few seconds while writer threads create, rewrite and
 * delete the same token files. No request may get a 5xx or hang, every 200 body must be one
 * complete version of the file, and the server must hold no more file descriptors afterwards
 * than before.
 * <p>
 * Writers create a file and then write to it, as certbot, lego and dehydrated do, so requests
 * can see an empty file. They rewrite a file by renaming a new one over it, as {@code mv} does.
 * Rewriting in place could expose a mix of two versions to a reader, which no server can detect,
 * and ACME clients write each token file once.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "acme.self-check.enabled=false")
class ConcurrentChurnTests {

	private static final Duration CHURN = Duration.ofSeconds(3);

	private static final Duration SETTLE_DEADLINE = Duration.ofSeconds(15);

	private static final int CLIENTS = 8;

	private static final int WRITERS = 3;

	/**
	 * File descriptors the JVM may open for its own reasons during the run, such as a jar that
	 * class loading opens. A leak of one descriptor per request would exceed it many times over.
	 */
	private static final int FD_SLACK = 8;

	private static final List<String> TOKENS = List.of("Churn_Token_0_0123456789abcdef", "Churn_Token_1_0123456789abcdef",
			"Churn_Token_2_0123456789abcdef", "Churn_Token_3_0123456789abcdef");

	private static final Path BASE = createBase();

	private static final HostileWebroot WEBROOT = HostileWebroot.create(BASE);

	@LocalServerPort
	private int port;

	private final Map<String, Set<String>> versions = new ConcurrentHashMap<>();

	private final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();

	private final AtomicInteger served = new AtomicInteger();

	private final AtomicInteger notFound = new AtomicInteger();

	@DynamicPropertySource
	static void webroot(DynamicPropertyRegistry registry) {
		registry.add("acme.webroot", () -> WEBROOT.webroot().toString());
	}

	@AfterAll
	static void deleteWebroot() throws IOException {
		HostileWebroot.delete(BASE);
	}

	@Test
	void churnWhileFetching() throws Exception {
		RawHttp http = new RawHttp(this.port);
		TOKENS.forEach((token) -> this.versions.put(token, ConcurrentHashMap.newKeySet()));
		for (int i = 0; i < 20; i++) {
			http.get("/.well-known/acme-challenge/" + TOKENS.get(i % TOKENS.size()));
		}
		long openBefore = openFileDescriptors();
		long end = System.nanoTime() + CHURN.toNanos();
		ExecutorService threads = Executors.newFixedThreadPool(CLIENTS + WRITERS);
		List<Future<?>> tasks = new ArrayList<>();
		for (int i = 0; i < WRITERS; i++) {
			tasks.add(threads.submit(() -> writeUntil(end)));
		}
		for (int i = 0; i < CLIENTS; i++) {
			tasks.add(threads.submit(() -> fetchUntil(http, end)));
		}
		threads.shutdown();
		boolean finished = threads.awaitTermination(CHURN.plus(RawHttp.TIMEOUT).plusSeconds(5).toSeconds(),
				TimeUnit.SECONDS);
		threads.shutdownNow();
		assertThat(finished).as("all threads finished before the deadline").isTrue();
		for (Future<?> task : tasks) {
			task.get();
		}
		assertThat(this.failures).as("failed requests and writes").isEmpty();
		assertThat(this.served.get()).as("requests answered with 200").isPositive();
		assertThat(this.notFound.get()).as("requests answered with 404").isPositive();
		assertThat(awaitFileDescriptorsAtMost(openBefore + FD_SLACK)).as("open file descriptors after the run")
			.isLessThanOrEqualTo(openBefore + FD_SLACK);
	}

	private void fetchUntil(RawHttp http, long end) {
		while (System.nanoTime() - end < 0) {
			String token = TOKENS.get(ThreadLocalRandom.current().nextInt(TOKENS.size()));
			try {
				RawHttp.Response response = http.get("/.well-known/acme-challenge/" + token);
				check(token, response);
			}
			catch (IOException ex) {
				this.failures.add(token + ": " + ex);
			}
		}
	}

	private void check(String token, RawHttp.Response response) {
		if (response.status() == 404) {
			this.notFound.incrementAndGet();
		}
		else if (response.status() != 200) {
			this.failures.add(token + ": status " + response.status());
		}
		else if (!response.bodyComplete()) {
			this.failures.add(token + ": Content-Length does not match the body " + response);
		}
		else if (!this.versions.get(token).contains(response.bodyText())) {
			this.failures.add(token + ": body is no version written: [" + response.bodyText() + "]");
		}
		else {
			this.served.incrementAndGet();
		}
	}

	private void writeUntil(long end) {
		while (System.nanoTime() - end < 0) {
			String token = TOKENS.get(ThreadLocalRandom.current().nextInt(TOKENS.size()));
			try {
				switch (ThreadLocalRandom.current().nextInt(3)) {
					case 0 -> create(token);
					case 1 -> rewrite(token);
					default -> Files.deleteIfExists(WEBROOT.challengeDirectory().resolve(token));
				}
			}
			catch (IOException | UncheckedIOException ex) {
				this.failures.add(token + ": write failed: " + ex);
			}
		}
	}

	private void create(String token) throws IOException {
		try {
			Files.writeString(WEBROOT.challengeDirectory().resolve(token), newVersion(token) + "\n",
					StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
		}
		catch (FileAlreadyExistsException ex) {
			// Another writer created it first; that file is a recorded version too.
		}
	}

	private void rewrite(String token) throws IOException {
		Path staged = WEBROOT.challengeDirectory().resolve(".staged-" + UUID.randomUUID());
		Files.writeString(staged, newVersion(token) + "\n");
		Files.move(staged, WEBROOT.challengeDirectory().resolve(token), StandardCopyOption.ATOMIC_MOVE,
				StandardCopyOption.REPLACE_EXISTING);
	}

	/**
	 * Records and returns a new key authorization for the token, recorded before it is written
	 * so that a reader can never see a version that is not in the record.
	 */
	private String newVersion(String token) {
		String version = HostileWebroot.keyAuthorizationFor(token) + "-" + UUID.randomUUID();
		this.versions.get(token).add(version);
		return version;
	}

	/**
	 * Polls the number of open file descriptors until it is at most the limit or the deadline
	 * passes, because the server closes connections after the response is sent.
	 */
	private static long awaitFileDescriptorsAtMost(long limit) throws IOException, InterruptedException {
		long deadline = System.nanoTime() + SETTLE_DEADLINE.toNanos();
		long open = openFileDescriptors();
		while (open > limit && System.nanoTime() - deadline < 0) {
			Thread.sleep(100);
			open = openFileDescriptors();
		}
		return open;
	}

	private static long openFileDescriptors() throws IOException {
		try (Stream<Path> descriptors = Files.list(Path.of("/proc/self/fd"))) {
			return descriptors.count();
		}
	}

	private static Path createBase() {
		try {
			return Files.createTempDirectory("hostile-churn");
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
