package dev.acmechallenge.autoconfigure;

import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.servlet.http.HttpServletRequest;

/**
 * {@link ChallengeRequestListener} that records Micrometer metrics: the counter
 * {@value #REQUESTS_METRIC} with an {@code outcome} tag ({@code served}, {@code not_found},
 * {@code rejected}, {@code error}) and the timer {@value #SERVED_METRIC} of served requests.
 * Every counter is registered up front, so that an outcome that has not happened reads as zero.
 * Requests for ignored tokens, such as the self-check's probe token, are not recorded.
 */
public class ChallengeMetricsListener implements ChallengeRequestListener {

	/**
	 * Name of the counter of requests for the challenge path.
	 */
	public static final String REQUESTS_METRIC = "acme.challenge.requests";

	/**
	 * Name of the timer of requests that received a key authorization.
	 */
	public static final String SERVED_METRIC = "acme.challenge.served";

	private final Map<ChallengeOutcome, Counter> counters = new EnumMap<>(ChallengeOutcome.class);

	private final Timer servedTimer;

	private final Predicate<String> ignoredTokens;

	/**
	 * Creates a listener that registers its meters in the given registry and records every request.
	 * @param registry the meter registry
	 */
	public ChallengeMetricsListener(MeterRegistry registry) {
		this(registry, (token) -> false);
	}

	/**
	 * Creates a listener that registers its meters in the given registry.
	 * @param registry the meter registry
	 * @param ignoredTokens matches the tokens whose requests are not recorded
	 */
	public ChallengeMetricsListener(MeterRegistry registry, Predicate<String> ignoredTokens) {
		this.ignoredTokens = ignoredTokens;
		for (ChallengeOutcome outcome : ChallengeOutcome.values()) {
			Counter counter = Counter.builder(REQUESTS_METRIC)
				.description("Requests for the ACME challenge path")
				.tag("outcome", outcome.name().toLowerCase(Locale.ROOT))
				.register(registry);
			this.counters.put(outcome, counter);
		}
		this.servedTimer = Timer.builder(SERVED_METRIC)
			.description("Time taken to answer ACME challenge requests with a key authorization")
			.register(registry);
	}

	@Override
	public void onChallengeRequest(ChallengeOutcome outcome, String token, HttpServletRequest request,
			long durationNanos) {
		if (this.ignoredTokens.test(token)) {
			return;
		}
		this.counters.get(outcome).increment();
		if (outcome == ChallengeOutcome.SERVED) {
			this.servedTimer.record(durationNanos, TimeUnit.NANOSECONDS);
		}
	}

}
