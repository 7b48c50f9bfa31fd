package dev.acmechallenge.autoconfigure;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link ChallengeRequestLogger}, over real HTTP.
 */
@ExtendWith(OutputCaptureExtension.class)
class ChallengeRequestLoggerTests {

	private static final String TOKEN = "Logged_token_0123456789abc";

	@TempDir
	Path webroot;

	@Test
	void logsServedChallenge(CapturedOutput output) throws IOException {
		String response = request(TOKEN, "Mozilla/5.0 (compatible; Let's Encrypt validation server)");
		assertThat(response).startsWith("HTTP/1.1 200");
		assertThat(output).contains("Served ACME challenge token [" + TOKEN + "] to 127.0.0.1 (User-Agent "
				+ "[Mozilla/5.0 (compatible; Let's Encrypt validation server)])");
	}

	@Test
	void escapesUserAgent(CapturedOutput output) throws IOException {
		String response = request(TOKEN, "validator\tv1 \u00e9");
		assertThat(response).startsWith("HTTP/1.1 200");
		assertThat(output).contains("(User-Agent [validator\\u0009v1 \\u00e9])");
	}

	@Test
	void doesNotLogMissAtInfo(CapturedOutput output) throws IOException {
		String response = request("Missing_token_0123456789abc", "validator");
		assertThat(response).startsWith("HTTP/1.1 404");
		assertThat(output).doesNotContain("Served ACME challenge token [Missing_token_0123456789abc]");
	}

	/**
	 * Sends one request over a socket, so that the User-Agent goes out byte for byte (ISO-8859-1),
	 * as HTTP clients reject some of these header values.
	 */
	private String request(String token, String userAgent) throws IOException {
		Path challengeDirectory = Files.createDirectories(this.webroot.resolve(".well-known/acme-challenge"));
		Files.writeString(challengeDirectory.resolve(TOKEN), TOKEN + ".thumbprint");
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(App.class)
			.properties("server.port=0", "server.address=127.0.0.1", "acme.webroot=" + this.webroot,
					"acme.self-check.enabled=false")
			.run()) {
			int port = ((WebServerApplicationContext) context).getWebServer().getPort();
			try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
				String request = "GET " + AcmeChallengeFilter.CHALLENGE_PATH + "/" + token + " HTTP/1.1\r\n"
						+ "Host: 127.0.0.1\r\nUser-Agent: " + userAgent + "\r\nConnection: close\r\n\r\n";
				OutputStream out = socket.getOutputStream();
				out.write(request.getBytes(StandardCharsets.ISO_8859_1));
				out.flush();
				InputStream in = socket.getInputStream();
				return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
			}
		}
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class App {

	}

}
