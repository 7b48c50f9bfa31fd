package dev.acmechallenge.autoconfigure;

import java.nio.file.Path;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * Configuration properties for answering ACME HTTP-01 challenges.
 */
@ConfigurationProperties(AcmeChallengeProperties.PREFIX)
public class AcmeChallengeProperties {

	/**
	 * Prefix of the ACME challenge properties.
	 */
	public static final String PREFIX = "acme";

	/**
	 * Whether to answer ACME HTTP-01 challenges.
	 */
	private boolean enabled = true;

	/**
	 * Web root that the ACME client writes to, as for certbot's "--webroot -w": tokens are read from
	 * "<webroot>/.well-known/acme-challenge/<token>".
	 */
	private Path webroot;

	/**
	 * Directory that contains the token files themselves, as for dehydrated's WELLKNOWN setting.
	 * Cannot be combined with "acme.webroot".
	 */
	private Path challengeDirectory;

	/**
	 * Maximum size of a token file; larger files are not served.
	 */
	private DataSize maxFileSize = DataSize.ofKilobytes(8);

	/**
	 * What to do with a request for a valid token that has no key authorization.
	 */
	private MissPolicy onMiss = MissPolicy.NOT_FOUND;

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public Path getWebroot() {
		return this.webroot;
	}

	public void setWebroot(Path webroot) {
		this.webroot = webroot;
	}

	public Path getChallengeDirectory() {
		return this.challengeDirectory;
	}

	public void setChallengeDirectory(Path challengeDirectory) {
		this.challengeDirectory = challengeDirectory;
	}

	public DataSize getMaxFileSize() {
		return this.maxFileSize;
	}

	public void setMaxFileSize(DataSize maxFileSize) {
		this.maxFileSize = maxFileSize;
	}

	public MissPolicy getOnMiss() {
		return this.onMiss;
	}

	public void setOnMiss(MissPolicy onMiss) {
		this.onMiss = onMiss;
	}

	/**
	 * Handling of a request for a well-formed token that no store knows.
	 */
	public enum MissPolicy {

		/**
		 * Answer with a plain-text 404.
		 */
		NOT_FOUND,

		/**
		 * Pass the request on to the application, which may serve the challenge itself.
		 */
		PASS_THROUGH

	}

}
