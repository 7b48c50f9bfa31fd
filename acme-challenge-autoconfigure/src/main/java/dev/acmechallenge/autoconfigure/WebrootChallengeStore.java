package dev.acmechallenge.autoconfigure;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * {@link ChallengeStore} that reads the token files an ACME client writes into a challenge
 * directory, such as {@code <webroot>/.well-known/acme-challenge}.
 * <p>
 * Only a regular file directly inside the challenge directory is served. A symbolic link is
 * followed only when its target is a regular file directly inside the same directory, and a file
 * with more than one hard link is not served, so that no link can expose a file elsewhere. An
 * empty file, as left by a client that has created but not yet written it, is not served either.
 * Files are read on every request, never cached, so a token written by the ACME client is served
 * on the next request and a deleted one is gone at once.
 * This store never writes or deletes anything in the directory.
 */
public class WebrootChallengeStore implements ChallengeStore {

	private static final Log logger = LogFactory.getLog(WebrootChallengeStore.class);

	private final Path challengeDirectory;

	private final long maxFileSize;

	private final RateLimitedLog missLog = new RateLimitedLog(logger, 10, Duration.ofMinutes(1));

	/**
	 * Creates a store for the given challenge directory.
	 * @param challengeDirectory absolute path of the directory that contains the token files
	 * @param maxFileSize maximum size in bytes of a file that is served
	 */
	public WebrootChallengeStore(Path challengeDirectory, long maxFileSize) {
		this.challengeDirectory = challengeDirectory;
		this.maxFileSize = maxFileSize;
	}

	/**
	 * Returns the directory that token files are read from.
	 * @return the challenge directory
	 */
	public Path getChallengeDirectory() {
		return this.challengeDirectory;
	}

	@Override
	public Optional<String> findKeyAuthorization(String token) {
		Path file = this.challengeDirectory.resolve(token);
		try {
			Path target = locateRegularFile(file);
			if (target == null) {
				return Optional.empty();
			}
			byte[] content = readBounded(target);
			if (content == null) {
				this.missLog.warn(() -> "Not serving ACME challenge file [" + file + "]: larger than the maximum of "
						+ this.maxFileSize + " bytes set by acme.max-file-size");
				return Optional.empty();
			}
			String keyAuthorization = new String(content, StandardCharsets.UTF_8).stripTrailing();
			if (keyAuthorization.isEmpty()) {
				this.missLog.warn(() -> "Not serving ACME challenge file [" + file + "]: it is empty, so the ACME "
						+ "client has not written the key authorization yet");
				return Optional.empty();
			}
			return Optional.of(keyAuthorization);
		}
		catch (NoSuchFileException ex) {
			this.missLog.warn(() -> "No ACME challenge file at [" + file
					+ "]: check that the ACME client writes to this directory");
			return Optional.empty();
		}
		catch (IOException | SecurityException ex) {
			this.missLog.warn(() -> "Failed to read ACME challenge file [" + file + "]: " + ex);
			return Optional.empty();
		}
	}

	/**
	 * Resolves the file to serve: the file itself when it is a regular file, or the target of a
	 * symbolic link when that target is a regular file directly inside the challenge directory.
	 * @return the path to read, or {@code null} after logging why nothing is served
	 */
	private Path locateRegularFile(Path file) throws IOException {
		FileFacts facts = FileFacts.read(file);
		Path target = file;
		if (facts.symbolicLink()) {
			target = file.toRealPath();
			Path realDirectory = this.challengeDirectory.toRealPath();
			if (!realDirectory.equals(target.getParent())) {
				this.missLog.warn(() -> "Not serving ACME challenge file [" + file
						+ "]: it is a symbolic link that leaves the challenge directory");
				return null;
			}
			facts = FileFacts.read(target);
		}
		if (!facts.regularFile()) {
			this.missLog.warn(() -> "Not serving ACME challenge file [" + file + "]: not a regular file");
			return null;
		}
		long links = facts.links();
		if (links > 1) {
			this.missLog.warn(() -> "Not serving ACME challenge file [" + file + "]: it has " + links
					+ " hard links, so it may be the same file as one outside the challenge directory");
			return null;
		}
		long size = facts.size();
		if (size > this.maxFileSize) {
			this.missLog.warn(() -> "Not serving ACME challenge file [" + file + "]: its size of " + size
					+ " bytes is larger than the maximum of " + this.maxFileSize + " bytes set by acme.max-file-size");
			return null;
		}
		return target;
	}

	/**
	 * Reads the file into a buffer sized from the open file, reading at most one byte more than
	 * the maximum size, so that a file growing between the size check and the read is detected
	 * instead of read without bound.
	 * @return the content, or {@code null} if the file has grown beyond the maximum size
	 */
	private byte[] readBounded(Path file) throws IOException {
		// NOTE: a FIFO put in place of the file after the attribute check blocks this open until a
		// writer opens the FIFO, because Java cannot open a file with O_NONBLOCK.
		try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
			ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(channel.size(), this.maxFileSize) + 1);
			if (!fill(channel, buffer)) {
				return Arrays.copyOf(buffer.array(), buffer.position());
			}
			if (buffer.capacity() > this.maxFileSize) {
				return null;
			}
			// The file changed after its size was read. Read it again from the start, so that the
			// content does not join the start of one version of the file to the rest of another.
			ByteBuffer larger = ByteBuffer.allocate((int) this.maxFileSize + 1);
			channel.position(0);
			return fill(channel, larger) ? null : Arrays.copyOf(larger.array(), larger.position());
		}
	}

	/**
	 * Reads from the channel until the buffer is full or the file ends.
	 * @return {@code true} if the buffer is full, {@code false} if the file ended first
	 */
	private static boolean fill(FileChannel channel, ByteBuffer buffer) throws IOException {
		while (buffer.hasRemaining()) {
			if (channel.read(buffer) < 0) {
				return false;
			}
		}
		return true;
	}

	/**
	 * Attributes of a file, not following a symbolic link, read with a single {@code lstat} on
	 * Unix. The hard-link count is 1 where the file system does not report it.
	 */
	private record FileFacts(boolean symbolicLink, boolean regularFile, long size, long links) {

		static FileFacts read(Path file) throws IOException {
			try {
				Map<String, Object> attributes = Files.readAttributes(file,
						"unix:isSymbolicLink,isRegularFile,size,nlink", LinkOption.NOFOLLOW_LINKS);
				boolean symbolicLink = (Boolean) attributes.get("isSymbolicLink");
				boolean regularFile = (Boolean) attributes.get("isRegularFile");
				long links = ((Number) attributes.get("nlink")).longValue();
				return new FileFacts(symbolicLink, regularFile, (Long) attributes.get("size"), links);
			}
			catch (UnsupportedOperationException ex) {
				BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class,
						LinkOption.NOFOLLOW_LINKS);
				return new FileFacts(attributes.isSymbolicLink(), attributes.isRegularFile(), attributes.size(), 1);
			}
		}

	}

	@Override
	public String toString() {
		return "challenge directory [" + this.challengeDirectory + "]";
	}

}
