package dev.acmechallenge.autoconfigure;

import java.time.Duration;

/**
 * {@link ChallengeStore} that an ACME client running in the application can write to. The client
 * puts the key authorization before it triggers the challenge and removes it afterwards.
 * <p>
 * With acme4j, for example, put {@code challenge.getToken()} and
 * {@code challenge.getAuthorization()} before {@code challenge.trigger()}, and remove the token
 * once the authorization is valid or invalid.
 */
public interface MutableChallengeStore extends ChallengeStore {

	/**
	 * Stores the key authorization of a token, replacing any earlier one. The entry is no longer
	 * served once the time to live has passed, even if it is never removed.
	 * @param token a valid ACME token, see {@link ChallengeToken#isValid(String)}
	 * @param keyAuthorization the key authorization: the token, a dot and the account key
	 * thumbprint
	 * @param timeToLive how long the entry is served; must be positive
	 * @throws IllegalArgumentException if an argument is invalid
	 * @throws ChallengeStoreException if the store could not be written to
	 */
	void put(String token, String keyAuthorization, Duration timeToLive);

	/**
	 * Removes the key authorization of a token; does nothing if the store has none.
	 * @param token the token
	 * @throws ChallengeStoreException if the store could not be written to
	 */
	void remove(String token);

}
