package dev.acmechallenge.autoconfigure;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Minimal HTTP/1.1 client over a plain socket, so that tests control every header (including
 * {@code Host}) and see the response exactly as the server sent it: no redirects followed, no
 * cookies stored.
 */
final class RawHttpClient {

	private static final int TIMEOUT_MILLIS = 10_000;

	private RawHttpClient() {
	}

	/**
	 * Sends a {@code GET} request to 127.0.0.1 with {@code Host: 127.0.0.1:port} unless a
	 * {@code Host} header line is given.
	 * @param port the port to connect to
	 * @param target the request target as it goes on the request line
	 * @param headerLines additional header lines such as {@code "Cookie: a=b"}
	 * @return the response
	 */
	static Response get(int port, String target, String... headerLines) throws IOException {
		return send(port, "GET", target, headerLines);
	}

	static Response send(int port, String method, String target, String... headerLines) throws IOException {
		StringBuilder request = new StringBuilder(method).append(' ').append(target).append(" HTTP/1.1\r\n");
		boolean hostGiven = false;
		for (String line : headerLines) {
			hostGiven |= line.regionMatches(true, 0, "Host:", 0, 5);
			request.append(line).append("\r\n");
		}
		if (!hostGiven) {
			request.append("Host: 127.0.0.1:").append(port).append("\r\n");
		}
		request.append("Connection: close\r\n\r\n");
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress("127.0.0.1", port), TIMEOUT_MILLIS);
			socket.setSoTimeout(TIMEOUT_MILLIS);
			OutputStream output = socket.getOutputStream();
			output.write(request.toString().getBytes(StandardCharsets.ISO_8859_1));
			output.flush();
			return Response.parse(socket.getInputStream().readAllBytes(), method.equals("HEAD"));
		}
	}

	/**
	 * Response as received: status code, header lines and the body, de-chunked if needed.
	 */
	record Response(int status, List<String[]> headers, String body) {

		/**
		 * Returns the first value of a header, or {@code null} when the response has none.
		 */
		String header(String name) {
			List<String> values = headers(name);
			return values.isEmpty() ? null : values.get(0);
		}

		List<String> headers(String name) {
			List<String> values = new ArrayList<>();
			for (String[] header : this.headers) {
				if (header[0].equalsIgnoreCase(name)) {
					values.add(header[1]);
				}
			}
			return values;
		}

		static Response parse(byte[] bytes, boolean head) throws IOException {
			String text = new String(bytes, StandardCharsets.ISO_8859_1);
			int end = text.indexOf("\r\n\r\n");
			if (end < 0) {
				throw new IOException("Incomplete HTTP response: [" + text + "]");
			}
			String[] lines = text.substring(0, end).split("\r\n");
			int status = Integer.parseInt(lines[0].split(" ")[1]);
			List<String[]> headers = new ArrayList<>();
			for (int i = 1; i < lines.length; i++) {
				int colon = lines[i].indexOf(':');
				headers.add(new String[] { lines[i].substring(0, colon).trim(), lines[i].substring(colon + 1).trim() });
			}
			byte[] rest = Arrays.copyOfRange(bytes, end + 4, bytes.length);
			Response response = new Response(status, headers, "");
			String encoding = response.header("Transfer-Encoding");
			if (!head && encoding != null && encoding.toLowerCase(Locale.ROOT).contains("chunked")) {
				rest = dechunk(new ByteArrayInputStream(rest));
			}
			return new Response(status, headers, new String(rest, StandardCharsets.UTF_8));
		}

		private static byte[] dechunk(InputStream input) throws IOException {
			ByteArrayOutputStream body = new ByteArrayOutputStream();
			while (true) {
				String sizeLine = readLine(input);
				int size = Integer.parseInt(sizeLine.split(";")[0].trim(), 16);
				if (size == 0) {
					return body.toByteArray();
				}
				body.write(input.readNBytes(size));
				readLine(input);
			}
		}

		private static String readLine(InputStream input) throws IOException {
			StringBuilder line = new StringBuilder();
			int b;
			while ((b = input.read()) != -1 && b != '\n') {
				if (b != '\r') {
					line.append((char) b);
				}
			}
			return line.toString();
		}

	}

}
