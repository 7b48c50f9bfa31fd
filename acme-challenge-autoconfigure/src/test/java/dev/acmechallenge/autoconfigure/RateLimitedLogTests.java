package dev.acmechallenge.autoconfigure;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.commons.logging.LogFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link RateLimitedLog}, with a clock that only moves when the test moves it.
 */
@ExtendWith(OutputCaptureExtension.class)
class RateLimitedLogTests {

	private static final Duration INTERVAL = Duration.ofMinutes(1);

	private final AtomicLong clock = new AtomicLong(1_000_000_000L);

	private final RateLimitedLog log = new RateLimitedLog(LogFactory.getLog(RateLimitedLogTests.class), 3, INTERVAL,
			this.clock::get);

	@Test
	void logsQuotaPerInterval(CapturedOutput output) {
		warn(1, 5);
		assertThat(output).contains("rate-limited line 1");
		assertThat(output).contains("rate-limited line 2");
		assertThat(output).contains("rate-limited line 3");
		assertThat(output).doesNotContain("rate-limited line 4");
		assertThat(output).doesNotContain("rate-limited line 5");
	}

	@Test
	void logsAtWarnLevel(CapturedOutput output) {
		warn(1, 1);
		String line = output.getOut()
			.lines()
			.filter((candidate) -> candidate.contains("rate-limited line 1"))
			.findFirst()
			.orElseThrow();
		assertThat(line).contains("WARN");
	}

	@Test
	void staysQuietUntilIntervalEnds(CapturedOutput output) {
		warn(1, 3);
		this.clock.addAndGet(INTERVAL.toNanos() - 1);
		warn(4, 4);
		assertThat(output).doesNotContain("rate-limited line 4");
	}

	@Test
	void restoresQuotaInNextInterval(CapturedOutput output) {
		warn(1, 5);
		this.clock.addAndGet(INTERVAL.toNanos());
		warn(6, 9);
		assertThat(output).contains("rate-limited line 6");
		assertThat(output).contains("rate-limited line 7");
		assertThat(output).contains("rate-limited line 8");
		assertThat(output).doesNotContain("rate-limited line 9");
	}

	@Test
	void reportsSuppressedCount(CapturedOutput output) {
		warn(1, 5);
		this.clock.addAndGet(INTERVAL.toNanos());
		warn(6, 7);
		assertThat(output).contains("rate-limited line 6 (2 similar lines suppressed)");
		assertThat(output).contains("rate-limited line 7\n");
	}

	@Test
	void reportsSuppressedCountOverSeveralIntervals(CapturedOutput output) {
		warn(1, 5);
		this.clock.addAndGet(INTERVAL.toNanos());
		warn(6, 10);
		this.clock.addAndGet(INTERVAL.toNanos());
		warn(11, 11);
		assertThat(output).contains("rate-limited line 6 (2 similar lines suppressed)");
		assertThat(output).contains("rate-limited line 11 (2 similar lines suppressed)");
	}

	@Test
	void omitsCountWhenNothingSuppressed(CapturedOutput output) {
		warn(1, 3);
		this.clock.addAndGet(INTERVAL.toNanos());
		warn(4, 4);
		assertThat(output).contains("rate-limited line 4\n");
		assertThat(output).doesNotContain("suppressed");
	}

	@Test
	void buildsMessageOnlyWhenLogged() {
		AtomicInteger built = new AtomicInteger();
		for (int i = 0; i < 5; i++) {
			this.log.warn(() -> "built " + built.incrementAndGet());
		}
		assertThat(built).hasValue(3);
	}

	private void warn(int first, int last) {
		for (int i = first; i <= last; i++) {
			int number = i;
			this.log.warn(() -> "rate-limited line " + number);
		}
	}

}
