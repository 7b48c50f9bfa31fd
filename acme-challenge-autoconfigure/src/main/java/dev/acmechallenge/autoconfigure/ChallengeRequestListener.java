package dev.acmechallenge.autoconfigure;

import jakarta.servlet.http.HttpServletRequest;

/**
 * Callback for every request that the challenge filter answers or passes on, for metrics and
 * logging. Beans of this type are picked up by the auto-configuration.
 */
@FunctionalInterface
public interface ChallengeRequestListener {

	/**
	 * Called after a request for the challenge path has been handled.
	 * @param outcome the result of the request
	 * @param token the token if it was well-formed, otherwise {@code null}
	 * @param request the request
	 * @param durationNanos time spent handling the request, in nanoseconds
	 */
	void onChallengeRequest(ChallengeOutcome outcome, String token, HttpServletRequest request, long durationNanos);

}
