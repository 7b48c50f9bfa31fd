package dev.acmechallenge.autoconfigure;

/**
 * Result of one request for the ACME challenge path.
 */
public enum ChallengeOutcome {

	/**
	 * A key authorization was sent with status 200.
	 */
	SERVED,

	/**
	 * The token was well-formed but no key authorization was found for it.
	 */
	NOT_FOUND,

	/**
	 * The request was rejected before any lookup: malformed token, unexpected path or method.
	 */
	REJECTED,

	/**
	 * The lookup failed, for example because the challenge store was unavailable.
	 */
	ERROR

}
