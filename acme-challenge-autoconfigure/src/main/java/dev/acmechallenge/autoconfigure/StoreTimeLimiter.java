package dev.acmechallenge.autoconfigure;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;

/**
 * Runs the calls of a shared store on a small pool of worker threads and waits for each at most
 * {@code acme.store-timeout}, so that a database or Redis server that accepts connections but
 * never responds cannot hold a request thread for the driver's own timeout, which is often a
 * minute or unlimited.
 * <p>
 * A call that times out is cancelled, but its worker stays blocked until the driver gives up. At
 * most {@value #MAX_WORKERS} workers run and at most {@value #MAX_QUEUED_CALLS} calls wait for
 * one; a call beyond that fails at once, so an unreachable store never piles up threads.
 */
final class StoreTimeLimiter implements AutoCloseable {

	/**
	 * Maximum number of store calls in progress at once. A validation makes a few requests per
	 * token, so a store that responds never comes close.
	 */
	static final int MAX_WORKERS = 8;

	/**
	 * Maximum number of calls that wait for a worker.
	 */
	static final int MAX_QUEUED_CALLS = 64;

	private final Duration timeout;

	private final int maxWorkers;

	private final int maxQueuedCalls;

	private final ThreadPoolTaskExecutor executor;

	/**
	 * Creates a limiter with its own worker threads.
	 * @param threadNamePrefix prefix of the worker thread names
	 * @param timeout maximum time to wait for one call
	 */
	StoreTimeLimiter(String threadNamePrefix, Duration timeout) {
		this(threadNamePrefix, timeout, MAX_WORKERS, MAX_QUEUED_CALLS);
	}

	StoreTimeLimiter(String threadNamePrefix, Duration timeout, int maxWorkers, int maxQueuedCalls) {
		this.timeout = timeout;
		this.maxWorkers = maxWorkers;
		this.maxQueuedCalls = maxQueuedCalls;
		this.executor = new ThreadPoolTaskExecutor();
		this.executor.setCorePoolSize(maxWorkers);
		this.executor.setMaxPoolSize(maxWorkers);
		this.executor.setQueueCapacity(maxQueuedCalls);
		this.executor.setAllowCoreThreadTimeOut(true);
		this.executor.setDaemon(true);
		this.executor.setThreadNamePrefix(threadNamePrefix);
		this.executor.initialize();
	}

	/**
	 * Runs a call on a worker and waits for its result.
	 * @param call the store call
	 * @param operation description of the call for the exception message, such as
	 * {@code "Query of table [acme_challenge]"}
	 * @return the result of the call
	 * @throws ChallengeStoreException if the call failed, timed out or could not be started
	 */
	<T> T call(Callable<T> call, Supplier<String> operation) {
		AtomicReference<Thread> worker = new AtomicReference<>();
		Future<T> future;
		try {
			future = this.executor.submit(() -> {
				worker.set(Thread.currentThread());
				try {
					return call.call();
				}
				finally {
					worker.set(null);
				}
			});
		}
		catch (RejectedExecutionException ex) {
			throw new ChallengeStoreException(operation.get() + " was rejected: " + this.maxWorkers
					+ " earlier calls are still waiting for the store and " + this.maxQueuedCalls
					+ " more are queued", ex);
		}
		try {
			return future.get(this.timeout.toNanos(), TimeUnit.NANOSECONDS);
		}
		catch (TimeoutException ex) {
			TimeoutException blocked = blockedAt(worker.get());
			cancel(future);
			throw new ChallengeStoreException(operation.get() + " timed out after " + this.timeout.toMillis()
					+ " ms, the limit set by acme.store-timeout", blocked);
		}
		catch (InterruptedException ex) {
			cancel(future);
			Thread.currentThread().interrupt();
			throw new ChallengeStoreException(operation.get() + " was interrupted", ex);
		}
		catch (ExecutionException ex) {
			Throwable cause = ex.getCause();
			if (cause instanceof Error error) {
				throw error;
			}
			throw new ChallengeStoreException(operation.get() + " failed: " + cause.getMessage(), cause);
		}
	}

	/**
	 * Describes where a timed-out call is: the stack trace of its worker shows where the driver
	 * waits, which the stack trace of the waiting request thread would not.
	 */
	private static TimeoutException blockedAt(Thread worker) {
		if (worker == null) {
			TimeoutException queued = new TimeoutException("The call was still waiting for a free worker thread");
			queued.setStackTrace(new StackTraceElement[0]);
			return queued;
		}
		TimeoutException blocked = new TimeoutException("Worker thread [" + worker.getName() + "] is blocked at");
		blocked.setStackTrace(worker.getStackTrace());
		return blocked;
	}

	/**
	 * Cancels a call and drops it from the queue if it has not started, so that cancelled calls do
	 * not fill the queue while every worker is blocked.
	 */
	private void cancel(Future<?> future) {
		future.cancel(true);
		this.executor.getThreadPoolExecutor().purge();
	}

	/**
	 * Stops the workers, interrupting calls in progress.
	 */
	@Override
	public void close() {
		this.executor.shutdown();
	}

}
