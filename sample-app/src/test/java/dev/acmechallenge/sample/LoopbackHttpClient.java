package dev.acmechallenge.sample;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.1 client for the embedded server under test, on a loopback address. It follows no
 * redirects, so a redirect shows up as the response itself.
 */
final class LoopbackHttpClient {

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	// One client for all tests, because each JDK client keeps a selector thread until it is collected
	private static final HttpClient HTTP_CLIENT = HttpClient.newBuilder()
		.version(HttpClient.Version.HTTP_1_1)
		.followRedirects(HttpClient.Redirect.NEVER)
		.connectTimeout(TIMEOUT)
		.build();

	private final String host;

	private final int port;

	/**
	 * Creates a client for a server on a loopback address.
	 * @param host the host as written in a URI: {@code 127.0.0.1} or {@code [::1]}
	 * @param port the server port
	 */
	private LoopbackHttpClient(String host, int port) {
		this.host = host;
		this.port = port;
	}

	static LoopbackHttpClient ipv4(int port) {
		return new LoopbackHttpClient("127.0.0.1", port);
	}

	static LoopbackHttpClient ipv6(int port) {
		return new LoopbackHttpClient("[::1]", port);
	}

	/**
	 * Sends a GET request.
	 * @param path the path and query, sent as written
	 * @param headers header names and values, alternating
	 */
	HttpResponse<String> get(String path, String... headers) throws IOException, InterruptedException {
		return send("GET", path, headers);
	}

	/**
	 * Sends a request without a body.
	 * @param method the request method
	 * @param path the path and query, sent as written
	 * @param headers header names and values, alternating
	 */
	HttpResponse<String> send(String method, String path, String... headers)
			throws IOException, InterruptedException {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUri() + path))
			.timeout(TIMEOUT)
			.method(method, BodyPublishers.noBody());
		for (int i = 0; i < headers.length; i += 2) {
			request.header(headers[i], headers[i + 1]);
		}
		return HTTP_CLIENT.send(request.build(), BodyHandlers.ofString(StandardCharsets.UTF_8));
	}

	/**
	 * Sends a HEAD request over a plain socket and reads until the server closes the connection,
	 * so that any body bytes the server sends after the headers are seen.
	 */
	RawResponse head(String path) throws IOException {
		try (Socket socket = new Socket()) {
			InetAddress address = InetAddress.getByName(this.host.replace("[", "").replace("]", ""));
			socket.connect(new InetSocketAddress(address, this.port), (int) TIMEOUT.toMillis());
			socket.setSoTimeout((int) TIMEOUT.toMillis());
			String request = "HEAD " + path + " HTTP/1.1\r\nHost: " + hostAndPort() + "\r\nConnection: close\r\n\r\n";
			OutputStream output = socket.getOutputStream();
			output.write(request.getBytes(StandardCharsets.US_ASCII));
			output.flush();
			InputStream input = socket.getInputStream();
			return RawResponse.parse(input.readAllBytes());
		}
	}

	String baseUri() {
		return "http://" + hostAndPort();
	}

	private String hostAndPort() {
		return this.host + ":" + this.port;
	}

	/**
	 * Response as received on the socket: status, headers with lower-case names, and every byte
	 * after the blank line that ends the headers.
	 */
	record RawResponse(int status, Map<String, List<String>> headers, byte[] body) {

		static RawResponse parse(byte[] bytes) {
			String text = new String(bytes, StandardCharsets.ISO_8859_1);
			int headerEnd = text.indexOf("\r\n\r\n");
			if (headerEnd < 0) {
				throw new IllegalStateException("No complete response header in [" + text + "]");
			}
			String[] lines = text.substring(0, headerEnd).split("\r\n");
			int status = Integer.parseInt(lines[0].split(" ")[1]);
			Map<String, List<String>> headers = new LinkedHashMap<>();
			for (int i = 1; i < lines.length; i++) {
				int colon = lines[i].indexOf(':');
				String name = lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT);
				headers.computeIfAbsent(name, (key) -> new ArrayList<>()).add(lines[i].substring(colon + 1).trim());
			}
			byte[] body = new byte[bytes.length - headerEnd - 4];
			System.arraycopy(bytes, headerEnd + 4, body, 0, body.length);
			return new RawResponse(status, headers, body);
		}

		String header(String name) {
			List<String> values = this.headers.get(name.toLowerCase(Locale.ROOT));
			return (values != null) ? String.join(", ", values) : null;
		}

	}

}
