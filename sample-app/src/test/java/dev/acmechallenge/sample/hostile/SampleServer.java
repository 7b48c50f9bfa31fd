package dev.acmechallenge.sample.hostile;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import dev.acmechallenge.sample.SampleApplication;

/**
 * The sample application on its embedded Tomcat at a random port on 127.0.0.1, for tests that
 * need their own configuration per test or run outside the Spring test framework.
 */
final class SampleServer implements AutoCloseable {

	private final ConfigurableApplicationContext context;

	private SampleServer(ConfigurableApplicationContext context) {
		this.context = context;
	}

	/**
	 * Starts the application with the given properties, which take precedence over
	 * {@code application.properties}.
	 */
	static SampleServer start(Map<String, String> properties) {
		// The self-check writes and deletes a probe token in the background after startup, which
		// would race the tests that delete, list or swap files in the challenge directory.
		List<String> arguments = new ArrayList<>(
				List.of("--server.port=0", "--server.address=127.0.0.1", "--acme.self-check.enabled=false"));
		properties.forEach((name, value) -> arguments.add("--" + name + "=" + value));
		return new SampleServer(new SpringApplicationBuilder(SampleApplication.class).run(arguments.toArray(String[]::new)));
	}

	int port() {
		return ((WebServerApplicationContext) this.context).getWebServer().getPort();
	}

	RawHttp http() {
		return new RawHttp(port());
	}

	@Override
	public void close() {
		this.context.close();
	}

}
