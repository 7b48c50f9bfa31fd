package dev.acmechallenge.sample.acme;

import static org.assertj.core.api.Assertions.fail;

/**
 * Connection settings of the PostgreSQL and Redis servers that {@code scripts/services.sh}
 * starts. A test that needs them fails with instructions when they are not set, rather than being
 * skipped.
 */
final class TestServices {

	private TestServices() {
	}

	static String require(String name) {
		String value = System.getenv(name);
		if (value == null || value.isBlank()) {
			return fail("%s is not set. This test needs the PostgreSQL and Redis servers that scripts/services.sh "
					+ "starts: run it through scripts/test.sh, or run 'source scripts/services.sh && "
					+ "start_services' in the shell that then runs Maven.", name);
		}
		return value;
	}

}
