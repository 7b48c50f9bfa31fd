package dev.acmechallenge.sample.hostile;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import dev.acmechallenge.sample.SampleApplication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

/**
 * Invalid {@code acme.*} values make the sample application fail to start, and Spring Boot's
 * failure analysis names the property, the value and the fix. Each case runs a real
 * {@code SpringApplication} with the value as a command-line argument and checks the report that
 * Boot prints instead of a stack trace.
 */
@ExtendWith(OutputCaptureExtension.class)
class ConfigurationFaultTests {

	private static final Path BASE = createBase();

	private static final Path REGULAR_FILE = BASE.resolve("regular-file");

	private static final Path DIRECTORY = BASE.resolve("directory");

	/**
	 * Skips {@code application.properties}, which sets {@code acme.webroot}, so that a case can
	 * set {@code acme.challenge-directory} alone.
	 */
	private static final String WITHOUT_APPLICATION_PROPERTIES = "--spring.config.name=no-application-properties";

	private static final String INVALID_PATH_ACTION = "Review the value of the property with the provided reason.";

	static Stream<Fault> faults() {
		String sizeReason = "The maximum size of a token file must be between 1B and 1MB. Remove the property to use "
				+ "the default of 8KB, or set a size such as 8KB.";
		return Stream.of(
				new Fault("relative webroot", List.of("--acme.webroot=relative/webroot"),
						"Invalid value 'relative/webroot' for configuration property 'acme.webroot'",
						"The path is relative, so it would depend on the working directory of the process. Set an "
								+ "absolute path such as " + Path.of("relative/webroot").toAbsolutePath() + ".",
						INVALID_PATH_ACTION),
				new Fault("empty webroot", List.of("--acme.webroot="),
						"Invalid value '' for configuration property 'acme.webroot'",
						"The path is empty. Set it to the absolute path of the directory that the ACME client writes to.",
						INVALID_PATH_ACTION),
				new Fault("blank webroot", List.of("--acme.webroot=   "),
						"Invalid value '   ' for configuration property 'acme.webroot'", "The path is empty.",
						INVALID_PATH_ACTION),
				new Fault("root webroot", List.of("--acme.webroot=/"),
						"Invalid value '/' for configuration property 'acme.webroot'",
						"The path is the file-system root, which would expose far more than ACME tokens. Set it to a "
								+ "directory used only as a web root, such as /var/www/acme.",
						INVALID_PATH_ACTION),
				new Fault("webroot normalized to root", List.of("--acme.webroot=/tmp/.."),
						"Invalid value '/tmp/..' for configuration property 'acme.webroot'",
						"The path is the file-system root", INVALID_PATH_ACTION),
				new Fault("webroot regular file", List.of("--acme.webroot=" + REGULAR_FILE),
						"Invalid value '" + REGULAR_FILE + "' for configuration property 'acme.webroot'",
						"The path is a regular file, not a directory. Set it to the directory that contains "
								+ ".well-known/acme-challenge, for example " + BASE + ".",
						INVALID_PATH_ACTION),
				new Fault("webroot with NUL", List.of("--acme.webroot=/var/www/ac\u0000me"),
						"for configuration property 'acme.webroot'", "The path is not valid: Nul character not allowed.",
						INVALID_PATH_ACTION),
				new Fault("relative challenge directory",
						List.of(WITHOUT_APPLICATION_PROPERTIES, "--acme.challenge-directory=relative/challenges"),
						"Invalid value 'relative/challenges' for configuration property 'acme.challenge-directory'",
						"The path is relative", INVALID_PATH_ACTION),
				new Fault("empty challenge directory",
						List.of(WITHOUT_APPLICATION_PROPERTIES, "--acme.challenge-directory="),
						"Invalid value '' for configuration property 'acme.challenge-directory'", "The path is empty.",
						INVALID_PATH_ACTION),
				new Fault("root challenge directory",
						List.of(WITHOUT_APPLICATION_PROPERTIES, "--acme.challenge-directory=/"),
						"Invalid value '/' for configuration property 'acme.challenge-directory'",
						"The path is the file-system root", INVALID_PATH_ACTION),
				new Fault("challenge directory regular file",
						List.of(WITHOUT_APPLICATION_PROPERTIES, "--acme.challenge-directory=" + REGULAR_FILE),
						"Invalid value '" + REGULAR_FILE + "' for configuration property 'acme.challenge-directory'",
						"The path is a regular file, not a directory. Set it to the directory that contains the token "
								+ "files, for example " + BASE + ".",
						INVALID_PATH_ACTION),
				new Fault("both layouts",
						List.of("--acme.webroot=" + DIRECTORY, "--acme.challenge-directory=" + DIRECTORY),
						"The following configuration properties are mutually exclusive:",
						"\tacme.challenge-directory\n\tacme.webroot",
						"Update your configuration so that only one of the mutually exclusive properties is configured."),
				new Fault("negative max file size", List.of("--acme.max-file-size=-1B"),
						"Invalid value '-1B' for configuration property 'acme.max-file-size'", sizeReason,
						INVALID_PATH_ACTION),
				new Fault("zero max file size", List.of("--acme.max-file-size=0B"),
						"Invalid value '0B' for configuration property 'acme.max-file-size'", sizeReason,
						INVALID_PATH_ACTION),
				new Fault("absurd max file size", List.of("--acme.max-file-size=10GB"),
						"Invalid value '10GB' for configuration property 'acme.max-file-size'", sizeReason,
						INVALID_PATH_ACTION),
				new Fault("unparsable max file size", List.of("--acme.max-file-size=lots"),
						"Failed to bind properties under 'acme.max-file-size'", "Value: \"lots\"",
						"'lots' does not match data size pattern"),
				new Fault("unknown miss policy", List.of("--acme.on-miss=ignore"),
						"Failed to bind properties under 'acme.on-miss'", "Value: \"ignore\"",
						"The following values are valid:\n\n    NOT_FOUND\n    PASS_THROUGH"));
	}

	@AfterAll
	static void deleteBase() throws IOException {
		HostileWebroot.delete(BASE);
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("faults")
	void invalidValueFailsStartup(Fault fault, CapturedOutput output) {
		List<String> arguments = new ArrayList<>(List.of("--server.port=0", "--server.address=127.0.0.1"));
		arguments.addAll(fault.arguments());
		assertThatException().isThrownBy(() -> new SpringApplicationBuilder(SampleApplication.class)
			.run(arguments.toArray(String[]::new))
			.close());
		String report = output.getOut().replace("\r\n", "\n");
		assertThat(report).as("failure analysis").contains("APPLICATION FAILED TO START");
		assertThat(report.split("APPLICATION FAILED TO START", -1)).as("number of failure reports").hasSize(2);
		assertThat(report).as("description").contains(fault.description());
		assertThat(report).as("reason").contains(fault.reason());
		assertThat(report).as("fix").contains(fault.fix());
		assertThat(report).as("stack trace instead of a report").doesNotContain("Application run failed");
	}

	/**
	 * Runs the application in a child JVM under the C locale, where Java cannot encode a non-ASCII
	 * file name, because the locale of a running JVM cannot be changed.
	 */
	@Test
	void nonAsciiWebrootUnderAsciiLocale() throws Exception {
		Path webroot = Files.createDirectories(BASE.resolve("wëbroot"));
		Map<String, String> environment = new HashMap<>();
		environment.put("LC_ALL", "C");
		environment.put("LANG", null);
		try (ChildApplication child = ChildApplication.start(List.of(), environment,
				List.of("--acme.webroot=" + webroot), BASE.resolve("ascii-locale.log"))) {
			assertThat(child.awaitExit()).as("exit code").isNotZero();
			String report = child.output();
			assertThat(report).as("failure analysis").contains("APPLICATION FAILED TO START");
			assertThat(report).as("description").contains("for configuration property 'acme.webroot'");
			assertThat(report).as("reason").contains("The path is not valid: ");
			assertThat(report).as("fix").contains("Start the application with a UTF-8 locale, such as "
					+ "LC_ALL=C.UTF-8, or use a path of ASCII characters only.");
		}
	}

	private static Path createBase() {
		try {
			Path base = Files.createTempDirectory("hostile-configuration");
			Files.writeString(base.resolve("regular-file"), "not a directory");
			Files.createDirectories(base.resolve("directory"));
			return base;
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * One invalid configuration and the parts of the failure report that must name it.
	 * @param name the case name
	 * @param arguments command-line arguments that set the invalid values
	 * @param description text of the report that names the property and the value
	 * @param reason text of the report that states what is wrong
	 * @param fix text of the report that states what to change
	 */
	record Fault(String name, List<String> arguments, String description, String reason, String fix) {

		@Override
		public String toString() {
			return this.name;
		}

	}

}
