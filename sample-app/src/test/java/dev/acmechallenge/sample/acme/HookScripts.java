package dev.acmechallenge.sample.acme;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.fail;

/**
 * The scripts in the repository's top-level {@code hooks} folder, as shell commands for an ACME
 * client's hook options.
 */
final class HookScripts {

	private HookScripts() {
	}

	/**
	 * Returns the {@code hooks} folder, found in the working directory or a parent of it.
	 */
	static Path directory() {
		for (Path candidate = Path.of("").toAbsolutePath(); candidate != null; candidate = candidate.getParent()) {
			if (Files.isRegularFile(candidate.resolve("hooks/challenge-store.sh"))) {
				return candidate.resolve("hooks");
			}
		}
		return fail("No hooks/challenge-store.sh in %s or a parent directory", Path.of("").toAbsolutePath());
	}

	/**
	 * Returns a shell command that runs a script with extra environment variables, such as
	 * {@code env 'ACME_STORE=redis' '/repo/hooks/certbot-auth.sh'}.
	 */
	static String command(Path script, Map<String, String> environment) {
		String assignments = environment.entrySet()
			.stream()
			.map((variable) -> quote(variable.getKey() + "=" + variable.getValue()))
			.collect(Collectors.joining(" "));
		return "env " + assignments + " " + quote(script.toString());
	}

	private static String quote(String value) {
		if (value.contains("'")) {
			throw new IllegalArgumentException("Cannot quote [" + value + "] for the shell: it contains a quote");
		}
		return "'" + value + "'";
	}

}
