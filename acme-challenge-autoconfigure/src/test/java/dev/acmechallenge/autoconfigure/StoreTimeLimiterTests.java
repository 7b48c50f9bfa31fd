package dev.acmechallenge.autoconfigure;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class StoreTimeLimiterTests {

	private final CountDownLatch release = new CountDownLatch(1);

	private StoreTimeLimiter limiter;

	@AfterEach
	void releaseAndClose() {
		this.release.countDown();
		if (this.limiter != null) {
			this.limiter.close();
		}
	}

	@Test
	void returnsResultOfCall() {
		this.limiter = new StoreTimeLimiter("test-", Duration.ofSeconds(10));
		assertThat(this.limiter.call(() -> "value", () -> "Lookup")).isEqualTo("value");
	}

	@Test
	void failedCallKeepsCause() {
		this.limiter = new StoreTimeLimiter("test-", Duration.ofSeconds(10));
		IOException failure = new IOException("connection refused");
		assertThatExceptionOfType(ChallengeStoreException.class)
			.isThrownBy(() -> this.limiter.call(() -> {
				throw failure;
			}, () -> "Lookup"))
			.withMessage("Lookup failed: connection refused")
			.withCause(failure);
	}

	@Test
	void callThatBlocksTimesOut() {
		this.limiter = new StoreTimeLimiter("test-", Duration.ofMillis(100));
		assertThatExceptionOfType(ChallengeStoreException.class)
			.isThrownBy(() -> this.limiter.call(this::awaitRelease, () -> "Lookup"))
			.withMessage("Lookup timed out after 100 ms, the limit set by acme.store-timeout")
			.withCauseInstanceOf(TimeoutException.class);
	}

	@Test
	void timeoutShowsWhereWorkerIsBlocked() {
		this.limiter = new StoreTimeLimiter("acme-test-", Duration.ofMillis(100));
		assertThatExceptionOfType(ChallengeStoreException.class)
			.isThrownBy(() -> this.limiter.call(this::awaitRelease, () -> "Lookup"))
			.havingCause()
			.withMessageStartingWith("Worker thread [acme-test-")
			.satisfies((cause) -> assertThat(cause.getStackTrace())
				.anySatisfy((frame) -> assertThat(frame.getMethodName()).isEqualTo("awaitRelease")));
	}

	@Test
	void timedOutCallIsInterrupted() throws Exception {
		this.limiter = new StoreTimeLimiter("test-", Duration.ofMillis(100));
		CompletableFuture<Boolean> interrupted = new CompletableFuture<>();
		assertThatExceptionOfType(ChallengeStoreException.class).isThrownBy(() -> this.limiter.call(() -> {
			try {
				return this.release.await(1, TimeUnit.MINUTES);
			}
			catch (InterruptedException ex) {
				interrupted.complete(true);
				throw ex;
			}
		}, () -> "Lookup"));
		assertThat(interrupted.get(30, TimeUnit.SECONDS)).isTrue();
	}

	@Test
	void callBeyondCapacityIsRejected() throws Exception {
		this.limiter = new StoreTimeLimiter("test-", Duration.ofMinutes(1), 1, 0);
		CountDownLatch started = new CountDownLatch(1);
		CompletableFuture.runAsync(() -> this.limiter.call(() -> {
			started.countDown();
			return awaitRelease();
		}, () -> "Blocked lookup"));
		assertThat(started.await(30, TimeUnit.SECONDS)).isTrue();
		assertThatExceptionOfType(ChallengeStoreException.class)
			.isThrownBy(() -> this.limiter.call(() -> "value", () -> "Lookup"))
			.withMessage("Lookup was rejected: 1 earlier calls are still waiting for the store and 0 more are queued");
	}

	@Test
	void workerThreadsAreNamed() {
		this.limiter = new StoreTimeLimiter("acme-test-", Duration.ofSeconds(10));
		assertThat(this.limiter.call(() -> Thread.currentThread().getName(), () -> "Lookup")).startsWith("acme-test-");
	}

	private boolean awaitRelease() throws InterruptedException {
		return this.release.await(1, TimeUnit.MINUTES);
	}

}
