package dev.acmechallenge.autoconfigure;

import java.time.Duration;

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
	private String webroot;

	/**
	 * Directory that contains the token files themselves, as for dehydrated's WELLKNOWN setting.
	 * Cannot be combined with "acme.webroot".
	 */
	private String challengeDirectory;

	/**
	 * Maximum size of a token file; larger files are not served.
	 */
	private DataSize maxFileSize = DataSize.ofKilobytes(8);

	/**
	 * Handling of a request for a valid token that has no key authorization.
	 */
	private MissPolicy onMiss = MissPolicy.NOT_FOUND;

	/**
	 * Port of an additional plain-HTTP connector that answers challenges and redirects every other
	 * request to HTTPS, for applications that serve HTTPS on their main port.
	 */
	private Integer httpPort;

	/**
	 * Store that key authorizations are read from.
	 */
	private StoreType store = StoreType.WEBROOT;

	/**
	 * Maximum time a lookup in a shared store may take before the request is answered with 503.
	 */
	private Duration storeTimeout = Duration.ofSeconds(2);

	private final SelfCheck selfCheck = new SelfCheck();

	private final Jdbc jdbc = new Jdbc();

	private final Redis redis = new Redis();

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public String getWebroot() {
		return this.webroot;
	}

	public void setWebroot(String webroot) {
		this.webroot = webroot;
	}

	public String getChallengeDirectory() {
		return this.challengeDirectory;
	}

	public void setChallengeDirectory(String challengeDirectory) {
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

	public Integer getHttpPort() {
		return this.httpPort;
	}

	public void setHttpPort(Integer httpPort) {
		this.httpPort = httpPort;
	}

	public StoreType getStore() {
		return this.store;
	}

	public void setStore(StoreType store) {
		this.store = store;
	}

	public Duration getStoreTimeout() {
		return this.storeTimeout;
	}

	public void setStoreTimeout(Duration storeTimeout) {
		this.storeTimeout = storeTimeout;
	}

	public SelfCheck getSelfCheck() {
		return this.selfCheck;
	}

	public Jdbc getJdbc() {
		return this.jdbc;
	}

	public Redis getRedis() {
		return this.redis;
	}

	/**
	 * Startup check that fetches a probe token through the running server.
	 */
	public static class SelfCheck {

		/**
		 * Whether to write, fetch and delete a probe token once the web server has started.
		 */
		private boolean enabled = true;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

	}

	/**
	 * Settings of the JDBC challenge store.
	 */
	public static class Jdbc {

		/**
		 * Name of the table that contains tokens, key authorizations and expiry times.
		 */
		private String tableName = "acme_challenge";

		/**
		 * Whether to create the table on startup when it does not exist.
		 */
		private boolean initializeSchema = true;

		public String getTableName() {
			return this.tableName;
		}

		public void setTableName(String tableName) {
			this.tableName = tableName;
		}

		public boolean isInitializeSchema() {
			return this.initializeSchema;
		}

		public void setInitializeSchema(boolean initializeSchema) {
			this.initializeSchema = initializeSchema;
		}

	}

	/**
	 * Settings of the Redis challenge store.
	 */
	public static class Redis {

		/**
		 * Prefix of the Redis key of each token; the key is the prefix followed by the token.
		 */
		private String keyPrefix = "acme:challenge:";

		public String getKeyPrefix() {
			return this.keyPrefix;
		}

		public void setKeyPrefix(String keyPrefix) {
			this.keyPrefix = keyPrefix;
		}

	}

	/**
	 * Kind of store that key authorizations are read from.
	 */
	public enum StoreType {

		/**
		 * Token files in the directory set by "acme.webroot" or "acme.challenge-directory".
		 */
		WEBROOT,

		/**
		 * Tokens put into an in-memory store by an ACME client running in the same process.
		 */
		MEMORY,

		/**
		 * A table in the application's database, shared by every replica.
		 */
		JDBC,

		/**
		 * Keys in Redis, shared by every replica.
		 */
		REDIS

	}

	/**
	 * Handling of a request for a well-formed token that the store has no key authorization for.
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
