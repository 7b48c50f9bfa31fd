package dev.acmechallenge.sample.hostile;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.1 client that writes a request line byte for byte to a socket on 127.0.0.1, so that
 * tests can send targets no HTTP library would send (raw {@code ..}, NUL bytes, invalid escapes,
 * raw non-ASCII bytes), and that returns the response exactly as the server sent it.
 * <p>
 * Every request carries {@code Connection: close} and the response is read until the server
 * closes the connection. A response that is not complete within {@link #TIMEOUT} fails with a
 * {@link SocketTimeoutException}, so that no test waits on a hung request thread.
 */
final class RawHttp {

	/**
	 * Deadline for connecting, sending and reading one whole response.
	 */
	static final Duration TIMEOUT = Duration.ofSeconds(10);

	private static final int MAX_RESPONSE_BYTES = 1024 * 1024;

	private final int port;

	RawHttp(int port) {
		this.port = port;
	}

	int port() {
		return this.port;
	}

	Response get(String target) throws IOException {
		return send("GET", target.getBytes(StandardCharsets.UTF_8));
	}

	Response send(String method, byte[] target) throws IOException {
		ByteArrayOutputStream request = new ByteArrayOutputStream();
		request.writeBytes(method.getBytes(StandardCharsets.US_ASCII));
		request.write(' ');
		request.writeBytes(target);
		request.writeBytes((" HTTP/1.1\r\nHost: 127.0.0.1:" + this.port + "\r\nConnection: close\r\n\r\n")
			.getBytes(StandardCharsets.US_ASCII));
		return sendRaw(request.toByteArray(), "HEAD".equals(method));
	}

	/**
	 * Sends the given bytes as they are and reads the response until the server closes the
	 * connection or the deadline passes.
	 */
	Response sendRaw(byte[] request, boolean headRequest) throws IOException {
		long deadline = System.nanoTime() + TIMEOUT.toNanos();
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress("127.0.0.1", this.port), (int) TIMEOUT.toMillis());
			socket.setSoTimeout((int) TIMEOUT.toMillis());
			OutputStream output = socket.getOutputStream();
			output.write(request);
			output.flush();
			return Response.parse(readUntilClosed(socket.getInputStream(), deadline), headRequest);
		}
	}

	private static byte[] readUntilClosed(InputStream input, long deadline) throws IOException {
		ByteArrayOutputStream received = new ByteArrayOutputStream();
		byte[] buffer = new byte[8192];
		int count;
		while ((count = input.read(buffer)) != -1) {
			received.write(buffer, 0, count);
			if (System.nanoTime() - deadline > 0) {
				throw new SocketTimeoutException("Response not complete within " + TIMEOUT);
			}
			if (received.size() > MAX_RESPONSE_BYTES) {
				throw new IOException("Response larger than " + MAX_RESPONSE_BYTES + " bytes");
			}
		}
		return received.toByteArray();
	}

	/**
	 * Response as received: status, headers with lower-case names, and the body after removing
	 * chunked transfer coding.
	 * @param status the status code
	 * @param headers the header values by lower-case name
	 * @param body the body bytes
	 * @param raw every byte received, headers included
	 * @param bodyComplete whether the body length equals {@code Content-Length} or the chunked
	 * body ended with its last chunk
	 */
	record Response(int status, Map<String, List<String>> headers, byte[] body, byte[] raw, boolean bodyComplete) {

		static Response parse(byte[] raw, boolean headRequest) throws IOException {
			int headerEnd = indexOf(raw, "\r\n\r\n".getBytes(StandardCharsets.US_ASCII), 0);
			if (headerEnd < 0) {
				throw new IOException("No complete response head in " + raw.length + " bytes: "
						+ new String(raw, StandardCharsets.ISO_8859_1));
			}
			String[] lines = new String(raw, 0, headerEnd, StandardCharsets.ISO_8859_1).split("\r\n");
			String[] statusLine = lines[0].split(" ", 3);
			if (statusLine.length < 2 || !statusLine[0].startsWith("HTTP/1.")) {
				throw new IOException("Not an HTTP/1.x status line: " + lines[0]);
			}
			int status = Integer.parseInt(statusLine[1]);
			Map<String, List<String>> headers = new LinkedHashMap<>();
			for (int i = 1; i < lines.length; i++) {
				int colon = lines[i].indexOf(':');
				String name = lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT);
				headers.computeIfAbsent(name, (key) -> new ArrayList<>()).add(lines[i].substring(colon + 1).trim());
			}
			byte[] payload = Arrays.copyOfRange(raw, headerEnd + 4, raw.length);
			if (headRequest) {
				return new Response(status, headers, payload, raw, payload.length == 0);
			}
			if (headers.getOrDefault("transfer-encoding", List.of()).contains("chunked")) {
				return dechunk(status, headers, payload, raw);
			}
			List<String> contentLength = headers.get("content-length");
			boolean complete = contentLength == null || Long.parseLong(contentLength.get(0)) == payload.length;
			return new Response(status, headers, payload, raw, complete);
		}

		private static Response dechunk(int status, Map<String, List<String>> headers, byte[] payload, byte[] raw) {
			ByteArrayOutputStream body = new ByteArrayOutputStream();
			int position = 0;
			while (true) {
				int lineEnd = indexOf(payload, "\r\n".getBytes(StandardCharsets.US_ASCII), position);
				if (lineEnd < 0) {
					return new Response(status, headers, body.toByteArray(), raw, false);
				}
				String sizeText = new String(payload, position, lineEnd - position, StandardCharsets.US_ASCII);
				int size = Integer.parseInt(sizeText.split(";")[0].trim(), 16);
				position = lineEnd + 2;
				if (size == 0) {
					return new Response(status, headers, body.toByteArray(), raw, true);
				}
				if (position + size > payload.length) {
					body.write(payload, position, payload.length - position);
					return new Response(status, headers, body.toByteArray(), raw, false);
				}
				body.write(payload, position, size);
				position += size + 2;
			}
		}

		String header(String name) {
			List<String> values = this.headers.get(name.toLowerCase(Locale.ROOT));
			return (values != null) ? values.get(0) : null;
		}

		String bodyText() {
			return new String(this.body, StandardCharsets.UTF_8);
		}

		/**
		 * Returns whether the given text occurs anywhere in what was received, headers included.
		 */
		boolean contains(String text) {
			return indexOf(this.raw, text.getBytes(StandardCharsets.UTF_8), 0) >= 0
					|| indexOf(this.body, text.getBytes(StandardCharsets.UTF_8), 0) >= 0;
		}

		@Override
		public String toString() {
			return new String(this.raw, 0, Math.min(this.raw.length, 600), StandardCharsets.ISO_8859_1);
		}

		private static int indexOf(byte[] data, byte[] needle, int from) {
			outer: for (int i = from; i <= data.length - needle.length; i++) {
				for (int j = 0; j < needle.length; j++) {
					if (data[i + j] != needle[j]) {
						continue outer;
					}
				}
				return i;
			}
			return -1;
		}

	}

}
