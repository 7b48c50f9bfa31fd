package dev.acmechallenge.autoconfigure;

import java.io.IOException;

/**
 * Write access to a challenge store for the startup self-check. A {@link ChallengeStore} that
 * implements this interface is checked end to end: the self-check writes a probe token through it,
 * fetches the token through the running web server and deletes it again. The self-check supports
 * {@link WebrootChallengeStore} without this interface and skips every other store.
 */
public interface ChallengeProbeWriter {

	/**
	 * Stores a key authorization for a probe token that does not exist in the store yet.
	 * @param token a fresh, syntactically valid token
	 * @param keyAuthorization the key authorization to serve for it
	 * @throws IOException if the store cannot be written
	 */
	void write(String token, String keyAuthorization) throws IOException;

	/**
	 * Deletes a probe token written by {@link #write(String, String)}, and nothing else.
	 * @param token the probe token
	 * @throws IOException if the token could not be deleted
	 */
	void delete(String token) throws IOException;

	/**
	 * Returns a description of where probe tokens are written, for log lines.
	 * @return the location, such as {@code challenge directory [/var/www/acme/.well-known/acme-challenge]}
	 */
	String location();

}
