package dev.acmechallenge.autoconfigure;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.context.properties.source.MutuallyExclusiveConfigurationPropertiesException;
import org.springframework.util.unit.DataSize;

/**
 * Resolves and checks the challenge directory configured by {@code acme.webroot} or
 * {@code acme.challenge-directory}. Invalid values fail startup with an exception that Spring
 * Boot's failure analyzers report with the property, the value and the fix.
 */
final class ChallengeDirectory {

	static final String WEBROOT_PROPERTY = AcmeChallengeProperties.PREFIX + ".webroot";

	static final String CHALLENGE_DIRECTORY_PROPERTY = AcmeChallengeProperties.PREFIX + ".challenge-directory";

	static final String MAX_FILE_SIZE_PROPERTY = AcmeChallengeProperties.PREFIX + ".max-file-size";

	/**
	 * Largest accepted value of {@code acme.max-file-size}. A key authorization is a token, a dot
	 * and a 43-character key thumbprint, so 1 MB leaves room for any client while keeping a bound
	 * on what one request reads into memory.
	 */
	static final DataSize MAX_FILE_SIZE_LIMIT = DataSize.ofMegabytes(1);

	private static final Log logger = LogFactory.getLog(ChallengeDirectory.class);

	private static final Path WELL_KNOWN_SUBDIRECTORY = Path.of(".well-known", "acme-challenge");

	private ChallengeDirectory() {
	}

	/**
	 * Resolves the challenge directory from the properties and logs where challenges are served
	 * from.
	 * @param properties the bound properties
	 * @return the absolute, normalized challenge directory
	 * @throws InvalidConfigurationPropertyValueException if a value is invalid
	 * @throws MutuallyExclusiveConfigurationPropertiesException if both layouts are set
	 */
	static Path resolve(AcmeChallengeProperties properties) {
		MutuallyExclusiveConfigurationPropertiesException.throwIfMultipleNonNullValuesIn((entries) -> {
			entries.put(WEBROOT_PROPERTY, properties.getWebroot());
			entries.put(CHALLENGE_DIRECTORY_PROPERTY, properties.getChallengeDirectory());
		});
		Path directory;
		if (properties.getWebroot() != null) {
			Path webroot = checkDirectory(WEBROOT_PROPERTY, properties.getWebroot());
			directory = webroot.resolve(WELL_KNOWN_SUBDIRECTORY);
		}
		else {
			directory = checkDirectory(CHALLENGE_DIRECTORY_PROPERTY, properties.getChallengeDirectory());
		}
		logDirectory(directory);
		return directory;
	}

	/**
	 * Checks {@code acme.max-file-size} and returns it in bytes.
	 * @param maxFileSize the configured value
	 * @return the maximum file size in bytes
	 * @throws InvalidConfigurationPropertyValueException if the value is not positive or too large
	 */
	static long maxFileSizeBytes(DataSize maxFileSize) {
		if (maxFileSize == null || maxFileSize.toBytes() <= 0 || maxFileSize.compareTo(MAX_FILE_SIZE_LIMIT) > 0) {
			throw new InvalidConfigurationPropertyValueException(MAX_FILE_SIZE_PROPERTY, maxFileSize,
					"The maximum size of a token file must be between 1B and " + MAX_FILE_SIZE_LIMIT.toMegabytes()
							+ "MB. Remove the property to use the default of 8KB, or set a size such as 8KB.");
		}
		return maxFileSize.toBytes();
	}

	private static Path checkDirectory(String property, String text) {
		if (text.isBlank()) {
			throw new InvalidConfigurationPropertyValueException(property, text,
					"The path is empty. Set it to the absolute path of the directory that the ACME client writes to.");
		}
		Path value = parsePath(property, text);
		if (!value.isAbsolute()) {
			throw new InvalidConfigurationPropertyValueException(property, text,
					"The path is relative, so it would depend on the working directory of the process. Set an "
							+ "absolute path such as " + value.toAbsolutePath().normalize() + ".");
		}
		Path normalized = value.normalize();
		if (normalized.getParent() == null) {
			throw new InvalidConfigurationPropertyValueException(property, text,
					"The path is the file-system root, which would expose far more than ACME tokens. Set it to "
							+ "a directory used only as a web root, such as /var/www/acme.");
		}
		if (Files.isRegularFile(normalized)) {
			throw new InvalidConfigurationPropertyValueException(property, text,
					"The path is a regular file, not a directory. Set it to the directory that contains "
							+ ((property.equals(WEBROOT_PROPERTY)) ? ".well-known/acme-challenge" : "the token files")
							+ ", for example " + normalized.getParent() + ".");
		}
		return normalized;
	}

	/**
	 * Parses the configured text as a file-system path, exactly as written. The properties are
	 * bound as strings because Spring's {@code Path} conversion resolves an absolute path that also
	 * exists on the classpath, such as {@code /}, to that classpath location.
	 */
	private static Path parsePath(String property, String text) {
		try {
			return Path.of(text);
		}
		catch (InvalidPathException ex) {
			String fix = isAscii(text) ? "Set it to the absolute path of the directory that the ACME client writes to."
					: "Java encodes file names in the charset of the locale, here "
							+ System.getProperty("sun.jnu.encoding") + ". Start the application with a UTF-8 locale, "
							+ "such as LC_ALL=C.UTF-8, or use a path of ASCII characters only.";
			throw new InvalidConfigurationPropertyValueException(property, text,
					"The path is not valid: " + ex.getReason() + ". " + fix);
		}
	}

	private static boolean isAscii(String text) {
		return text.chars().allMatch((c) -> c < 0x80);
	}

	private static void logDirectory(Path directory) {
		if (!Files.isDirectory(directory)) {
			logger.warn("Serving ACME challenges from [" + directory + "], which does not exist yet: tokens will be "
					+ "served once the ACME client creates it");
		}
		else if (!Files.isExecutable(directory)) {
			// Opening a file by name needs search (execute) permission only, not read permission.
			logger.warn("Serving ACME challenges from [" + directory + "], in which this process cannot open "
					+ "files: validation will fail until its permissions are fixed");
		}
		else {
			logger.info("Serving ACME challenges from [" + directory + "]");
		}
	}

}
