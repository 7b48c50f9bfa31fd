package dev.acmechallenge.autoconfigure;

import java.util.Optional;

/**
 * Source of key authorizations for ACME HTTP-01 challenges, looked up by token.
 * <p>
 * Implementations are called on request threads for every challenge request, with a token that
 * has already been checked against {@link ChallengeToken#isValid(String)}.
 */
@FunctionalInterface
public interface ChallengeStore {

	/**
	 * Looks up the key authorization for a token.
	 * @param token a syntactically valid ACME token
	 * @return the key authorization, or empty if the store has none for this token
	 * @throws ChallengeStoreException if the store could not be queried, so that the caller can
	 * answer with a retryable error rather than a definite miss
	 */
	Optional<String> findKeyAuthorization(String token);

}
