package dev.acmechallenge.autoconfigure;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.function.Predicate;
import java.util.function.Supplier;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

import dev.acmechallenge.autoconfigure.ChallengeSelfCheck.Result;
import dev.acmechallenge.autoconfigure.ChallengeSelfCheck.Status;

/**
 * Health indicator of the challenge store. For a {@link WebrootChallengeStore} it is
 * {@code UP} when the challenge directory exists and is readable and the last self-check did not
 * fail, {@code UNKNOWN} while the directory does not exist yet, and {@code DOWN} otherwise. Other
 * stores are reported as {@code UNKNOWN}. The details contain the directory, the time of the last
 * served challenge and the self-check result.
 * <p>
 * It listens to challenge requests to record the time of the last served challenge, leaving out
 * ignored tokens such as the self-check's probe token.
 */
public class ChallengeHealthIndicator extends AbstractHealthIndicator implements ChallengeRequestListener {

	private final ChallengeStore store;

	private final Supplier<Result> selfCheckResult;

	private final Predicate<String> ignoredTokens;

	private final Clock clock;

	private volatile Instant lastServed;

	/**
	 * Creates an indicator for the given store.
	 * @param store the store that the challenge filter serves from
	 * @param selfCheckResult supplies the last self-check result, or {@code null} if there is none
	 * @param ignoredTokens matches the tokens whose requests do not count as served challenges
	 */
	public ChallengeHealthIndicator(ChallengeStore store, Supplier<Result> selfCheckResult,
			Predicate<String> ignoredTokens) {
		this(store, selfCheckResult, ignoredTokens, Clock.systemUTC());
	}

	ChallengeHealthIndicator(ChallengeStore store, Supplier<Result> selfCheckResult, Predicate<String> ignoredTokens,
			Clock clock) {
		super("ACME challenge health check failed");
		this.store = store;
		this.selfCheckResult = selfCheckResult;
		this.ignoredTokens = ignoredTokens;
		this.clock = clock;
	}

	@Override
	public void onChallengeRequest(ChallengeOutcome outcome, String token, HttpServletRequest request,
			long durationNanos) {
		if (outcome == ChallengeOutcome.SERVED && !this.ignoredTokens.test(token)) {
			this.lastServed = this.clock.instant();
		}
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) {
		if (this.store instanceof WebrootChallengeStore webroot) {
			checkDirectory(builder, webroot.getChallengeDirectory());
		}
		else {
			builder.unknown().withDetail("store", this.store.toString());
		}
		Instant served = this.lastServed;
		builder.withDetail("lastServed", (served != null) ? served.toString() : "never");
		Result result = this.selfCheckResult.get();
		if (result != null) {
			builder.withDetail("selfCheck", result.status() + ": " + result.message());
			if (result.status() == Status.FAILED) {
				builder.down();
			}
		}
	}

	private static void checkDirectory(Health.Builder builder, Path directory) {
		builder.withDetail("directory", directory.toString());
		if (!Files.exists(directory)) {
			builder.unknown().withDetail("reason", "the directory does not exist yet; the ACME client creates it");
		}
		else if (!Files.isDirectory(directory)) {
			builder.down().withDetail("reason", "the path is not a directory");
		}
		else if (!Files.isExecutable(directory)) {
			// Opening a file by name needs search (execute) permission only, not read permission.
			builder.down().withDetail("reason", "this process cannot open files in the directory");
		}
		else {
			builder.up();
		}
	}

}
