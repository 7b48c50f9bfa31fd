package dev.acmechallenge.autoconfigure;

import java.net.ServerSocket;
import java.util.Optional;

import javax.sql.DataSource;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.postgresql.Driver;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests of how {@link AcmeChallengeAutoConfiguration} selects a {@link ChallengeStore}. The
 * databases used here are unreachable: these tests check the beans, not the stores.
 */
@ExtendWith(OutputCaptureExtension.class)
class ChallengeStoreAutoConfigurationTests {

	private static final String FILTER = AcmeChallengeAutoConfiguration.FILTER_REGISTRATION_BEAN_NAME;

	private static int closedPort;

	private final WebApplicationContextRunner contextRunner = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(AcmeChallengeAutoConfiguration.class));

	@BeforeAll
	static void findClosedPort() throws Exception {
		try (ServerSocket socket = new ServerSocket(0)) {
			closedPort = socket.getLocalPort();
		}
	}

	@Test
	void noSourceConfiguresNothing() {
		this.contextRunner.run((context) -> assertThat(context).doesNotHaveBean(ChallengeStore.class)
			.doesNotHaveBean(FILTER));
	}

	@Test
	void webrootStoreWithoutWebrootConfiguresNothing() {
		this.contextRunner.withPropertyValues("acme.store=webroot")
			.run((context) -> assertThat(context).doesNotHaveBean(ChallengeStore.class).doesNotHaveBean(FILTER));
	}

	@Test
	void memoryStoreNeedsNoWebroot() {
		this.contextRunner.withPropertyValues("acme.store=memory")
			.run((context) -> assertThat(context).hasSingleBean(InMemoryChallengeStore.class).hasBean(FILTER));
	}

	@Test
	void storeValueIgnoresCase() {
		this.contextRunner.withPropertyValues("acme.store=MEMORY")
			.run((context) -> assertThat(context).hasSingleBean(InMemoryChallengeStore.class));
	}

	@Test
	void memoryStoreIgnoresWebroot() {
		this.contextRunner.withPropertyValues("acme.store=memory", "acme.webroot=/nonexistent/webroot")
			.run((context) -> assertThat(context).getBean(ChallengeStore.class)
				.isInstanceOf(InMemoryChallengeStore.class));
	}

	@Test
	void jdbcStoreUsesDataSource() {
		this.contextRunner.withBean(DataSource.class, ChallengeStoreAutoConfigurationTests::unreachableDatabase)
			.withPropertyValues("acme.store=jdbc", "acme.jdbc.table-name=challenges",
					"acme.jdbc.initialize-schema=false")
			.run((context) -> {
				assertThat(context).hasSingleBean(JdbcChallengeStore.class).hasBean(FILTER);
				assertThat(context.getBean(JdbcChallengeStore.class).getTableName()).isEqualTo("challenges");
			});
	}

	@Test
	void jdbcStoreStartsWhenDatabaseIsDown(CapturedOutput output) {
		this.contextRunner.withBean(DataSource.class, ChallengeStoreAutoConfigurationTests::unreachableDatabase)
			.withPropertyValues("acme.store=jdbc")
			.run((context) -> {
				assertThat(context).hasSingleBean(JdbcChallengeStore.class);
				assertThat(output).contains("Failed to create the ACME challenge table [acme_challenge]");
			});
	}

	@Test
	void jdbcStoreWithoutDataSourceFails() {
		this.contextRunner.withPropertyValues("acme.store=jdbc").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context).getFailure()
				.rootCause()
				.isInstanceOf(InvalidConfigurationPropertyValueException.class)
				.hasMessageContaining("Property acme.store with value 'jdbc' is invalid")
				.hasMessageContaining("spring.datasource.url");
		});
	}

	@Test
	void jdbcStoreWithoutSpringJdbcFails() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(JdbcTemplate.class))
			.withPropertyValues("acme.store=jdbc")
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(context).getFailure()
					.rootCause()
					.isInstanceOf(InvalidConfigurationPropertyValueException.class)
					.hasMessageContaining("Property acme.store with value 'jdbc' is invalid")
					.hasMessageContaining("spring-jdbc, which is not on the classpath");
			});
	}

	@Test
	void invalidTableNameFails() {
		this.contextRunner.withBean(DataSource.class, ChallengeStoreAutoConfigurationTests::unreachableDatabase)
			.withPropertyValues("acme.store=jdbc", "acme.jdbc.table-name=acme-challenge")
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(context).getFailure()
					.rootCause()
					.isInstanceOf(InvalidConfigurationPropertyValueException.class)
					.hasMessageContaining("Property acme.jdbc.table-name with value 'acme-challenge' is invalid")
					.hasMessageContaining("Set a name such as acme_challenge");
			});
	}

	@Test
	void nonPositiveStoreTimeoutFails() {
		this.contextRunner.withBean(DataSource.class, ChallengeStoreAutoConfigurationTests::unreachableDatabase)
			.withPropertyValues("acme.store=jdbc", "acme.store-timeout=0s")
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(context).getFailure()
					.rootCause()
					.isInstanceOf(InvalidConfigurationPropertyValueException.class)
					.hasMessageContaining("Property acme.store-timeout with value 'PT0S' is invalid");
			});
	}

	@Test
	void redisStoreUsesRedisTemplate() {
		this.contextRunner.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class))
			.withPropertyValues("acme.store=redis", "acme.redis.key-prefix=app:acme:",
					"spring.data.redis.port=" + closedPort)
			.run((context) -> {
				assertThat(context).hasSingleBean(RedisChallengeStore.class).hasBean(FILTER);
				assertThat(context.getBean(RedisChallengeStore.class).getKeyPrefix()).isEqualTo("app:acme:");
			});
	}

	@Test
	void redisStoreWithoutConnectionFactoryFails() {
		this.contextRunner.withPropertyValues("acme.store=redis").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context).getFailure()
				.rootCause()
				.isInstanceOf(InvalidConfigurationPropertyValueException.class)
				.hasMessageContaining("Property acme.store with value 'redis' is invalid")
				.hasMessageContaining("spring.data.redis.host");
		});
	}

	@Test
	void redisStoreWithoutSpringDataRedisFails() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(StringRedisTemplate.class))
			.withPropertyValues("acme.store=redis")
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(context).getFailure()
					.rootCause()
					.hasMessageContaining("Spring Data Redis, which is not on the classpath");
			});
	}

	@Test
	void emptyKeyPrefixFails() {
		this.contextRunner.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class))
			.withPropertyValues("acme.store=redis", "acme.redis.key-prefix=")
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(context).getFailure()
					.rootCause()
					.hasMessageContaining("Property acme.redis.key-prefix with value '' is invalid");
			});
	}

	@Test
	void userStoreActivatesWithoutProperties() {
		this.contextRunner.withBean(ChallengeStore.class, () -> (token) -> Optional.empty())
			.run((context) -> assertThat(context).hasSingleBean(ChallengeStore.class).hasBean(FILTER));
	}

	@Test
	void userStoreWinsOverSelectedStore() {
		InMemoryChallengeStore userStore = new InMemoryChallengeStore();
		this.contextRunner.withBean(ChallengeStore.class, () -> userStore)
			.withPropertyValues("acme.store=jdbc")
			.run((context) -> assertThat(context).getBean(ChallengeStore.class).isSameAs(userStore));
	}

	@Test
	void userStoreWinsOverWebroot() {
		InMemoryChallengeStore userStore = new InMemoryChallengeStore();
		this.contextRunner.withBean(ChallengeStore.class, () -> userStore)
			.withPropertyValues("acme.webroot=/nonexistent/webroot")
			.run((context) -> assertThat(context).getBean(ChallengeStore.class).isSameAs(userStore));
	}

	@Test
	void disabledIgnoresStore() {
		this.contextRunner.withPropertyValues("acme.store=memory", "acme.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(ChallengeStore.class));
	}

	private static DataSource unreachableDatabase() {
		return new SimpleDriverDataSource(new Driver(), "jdbc:postgresql://127.0.0.1:" + closedPort + "/acme", "acme",
				"secret");
	}

}
