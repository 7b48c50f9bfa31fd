package dev.acmechallenge.autoconfigure;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * {@link ChallengeProbeWriter} for a challenge directory. The probe file is created with
 * {@link StandardOpenOption#CREATE_NEW}, so an existing file is never overwritten. A missing
 * challenge directory is not created: the ACME client creates it, and a directory made and removed
 * by the probe could vanish under a client that is about to write into it.
 */
final class WebrootProbeWriter implements ChallengeProbeWriter {

	private final Path challengeDirectory;

	WebrootProbeWriter(Path challengeDirectory) {
		this.challengeDirectory = challengeDirectory;
	}

	@Override
	public void write(String token, String keyAuthorization) throws IOException {
		Files.write(this.challengeDirectory.resolve(token), keyAuthorization.getBytes(StandardCharsets.UTF_8),
				StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
	}

	@Override
	public void delete(String token) throws IOException {
		Files.deleteIfExists(this.challengeDirectory.resolve(token));
	}

	@Override
	public String location() {
		return "challenge directory [" + this.challengeDirectory + "]";
	}

}
