package dev.acmechallenge.autoconfigure;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

import org.apache.commons.logging.Log;

/**
 * WARN logging that writes at most a fixed number of lines per interval, so that a scanner
 * sending many bad requests cannot flood the log. Lines dropped in one interval are counted and
 * the count is reported with the first line of the next interval.
 */
final class RateLimitedLog {

	private final Log log;

	private final int maxLinesPerInterval;

	private final long intervalNanos;

	private final LongSupplier nanoClock;

	private final AtomicLong intervalStart;

	private final AtomicLong linesInInterval = new AtomicLong();

	private final AtomicLong suppressed = new AtomicLong();

	RateLimitedLog(Log log, int maxLinesPerInterval, Duration interval) {
		this(log, maxLinesPerInterval, interval, System::nanoTime);
	}

	RateLimitedLog(Log log, int maxLinesPerInterval, Duration interval, LongSupplier nanoClock) {
		this.log = log;
		this.maxLinesPerInterval = maxLinesPerInterval;
		this.intervalNanos = interval.toNanos();
		this.nanoClock = nanoClock;
		this.intervalStart = new AtomicLong(nanoClock.getAsLong());
	}

	/**
	 * Logs a WARN line unless this interval's quota is used up.
	 * @param message the message, built only when it is logged
	 */
	void warn(java.util.function.Supplier<String> message) {
		if (!this.log.isWarnEnabled()) {
			return;
		}
		long now = this.nanoClock.getAsLong();
		long start = this.intervalStart.get();
		if (now - start >= this.intervalNanos && this.intervalStart.compareAndSet(start, now)) {
			this.linesInInterval.set(0);
		}
		if (this.linesInInterval.incrementAndGet() > this.maxLinesPerInterval) {
			this.suppressed.incrementAndGet();
			return;
		}
		long dropped = this.suppressed.getAndSet(0);
		String suffix = (dropped > 0) ? " (" + dropped + " similar lines suppressed)" : "";
		this.log.warn(message.get() + suffix);
	}

}
