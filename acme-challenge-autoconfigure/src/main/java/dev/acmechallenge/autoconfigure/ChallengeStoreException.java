package dev.acmechallenge.autoconfigure;

/**
 * Thrown by a {@link ChallengeStore} that could not be queried, for example because its database
 * is down or timed out.
 */
public class ChallengeStoreException extends RuntimeException {

	public ChallengeStoreException(String message, Throwable cause) {
		super(message, cause);
	}

}
