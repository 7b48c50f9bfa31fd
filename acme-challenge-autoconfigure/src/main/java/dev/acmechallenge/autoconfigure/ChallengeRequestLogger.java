package dev.acmechallenge.autoconfigure;

import jakarta.servlet.http.HttpServletRequest;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.http.HttpHeaders;

/**
 * {@link ChallengeRequestListener} that logs one INFO line per served challenge with the token,
 * the client address and the User-Agent, so that an operator can see which validators reached the
 * application. Misses are logged by the store, rate-limited, and rejections at DEBUG by the filter.
 */
public class ChallengeRequestLogger implements ChallengeRequestListener {

	private static final Log logger = LogFactory.getLog(ChallengeRequestLogger.class);

	@Override
	public void onChallengeRequest(ChallengeOutcome outcome, String token, HttpServletRequest request,
			long durationNanos) {
		if (outcome == ChallengeOutcome.SERVED && logger.isInfoEnabled()) {
			logger.info("Served ACME challenge token [" + ChallengeToken.escapeForLog(token) + "] to "
					+ ChallengeToken.escapeForLog(request.getRemoteAddr()) + " (User-Agent ["
					+ ChallengeToken.escapeForLog(request.getHeader(HttpHeaders.USER_AGENT)) + "])");
		}
	}

}
