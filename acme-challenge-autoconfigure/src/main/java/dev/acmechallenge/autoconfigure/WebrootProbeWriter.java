package dev.acmechallenge.autoconfigure;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * {@link ChallengeProbeWriter} for a challenge directory. The probe file is created with
 * {@link StandardOpenOption#CREATE_NEW}, so an existing file is never overwritten. Directories that
 * are missing are created for the probe and deleted with it when they are empty again, so that the
 * check also covers a first start before the ACME client has ever run.
 */
final class WebrootProbeWriter implements ChallengeProbeWriter {

	private final Path challengeDirectory;

	private final Deque<Path> createdDirectories = new ArrayDeque<>();

	WebrootProbeWriter(Path challengeDirectory) {
		this.challengeDirectory = challengeDirectory;
	}

	@Override
	public synchronized void write(String token, String keyAuthorization) throws IOException {
		createMissingDirectories();
		Files.write(this.challengeDirectory.resolve(token), keyAuthorization.getBytes(StandardCharsets.UTF_8),
				StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
	}

	// NOTE: an ACME client that has run "mkdir -p" on a directory created here, but not yet written
	// its token file, loses that directory when the probe is deleted in between.
	@Override
	public synchronized void delete(String token) throws IOException {
		Files.deleteIfExists(this.challengeDirectory.resolve(token));
		while (!this.createdDirectories.isEmpty()) {
			try {
				Files.deleteIfExists(this.createdDirectories.pop());
			}
			catch (DirectoryNotEmptyException ex) {
				// The ACME client has started to use the directory: it is no longer ours to delete.
				this.createdDirectories.clear();
			}
		}
	}

	private void createMissingDirectories() throws IOException {
		Deque<Path> missing = new ArrayDeque<>();
		for (Path directory = this.challengeDirectory; directory != null && !Files.exists(directory);
				directory = directory.getParent()) {
			missing.push(directory);
		}
		while (!missing.isEmpty()) {
			Path directory = missing.pop();
			try {
				Files.createDirectory(directory);
				this.createdDirectories.push(directory);
			}
			catch (FileAlreadyExistsException ex) {
				// Created meanwhile by the ACME client, so it is not deleted with the probe.
			}
		}
	}

	@Override
	public String location() {
		return "challenge directory [" + this.challengeDirectory + "]";
	}

}
