package dev.acmechallenge.sample.hostile;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One row of {@code hostile-requests.tsv}: the method and request target to send and the status
 * the server must respond with.
 * <p>
 * The file has four tab-separated columns: status, method, target, description. Lines that are
 * empty or start with {@code #} are skipped. The target is sent as its UTF-8 bytes after these
 * replacements:
 * <ul>
 * <li>{@code \xHH} is the single byte with hex value HH, and {@code \\} is one backslash</li>
 * <li>{@code {token}} is {@link HostileWebroot#CONTROL_TOKEN} and {@code {token:N}} is
 * {@link HostileWebroot#token(int) token(N)}</li>
 * <li>{@code {above}}, {@code {webroot}} and {@code {beside}} are the names of the secret files
 * one level above the web root, in it, and beside the challenge directory</li>
 * <li>{@code {port}} is the server's port</li>
 * </ul>
 *
 * @param line the line number in the file
 * @param status the expected status
 * @param method the request method
 * @param target the target as written in the file
 * @param description what the row checks
 */
record HostileRequest(int line, int status, String method, String target, String description) {

	static final String RESOURCE = "hostile-requests.tsv";

	private static final Pattern PLACEHOLDER = Pattern.compile("\\{(token|token:\\d+|above|webroot|beside|port)}");

	static List<HostileRequest> load() {
		List<HostileRequest> rows = new ArrayList<>();
		try (InputStream input = HostileRequest.class.getClassLoader().getResourceAsStream(RESOURCE)) {
			if (input == null) {
				throw new IllegalStateException("Test resource " + RESOURCE + " not found");
			}
			BufferedReader reader = new BufferedReader(new InputStreamReader(input, StandardCharsets.UTF_8));
			int lineNumber = 0;
			for (String line = reader.readLine(); line != null; line = reader.readLine()) {
				lineNumber++;
				if (line.isBlank() || line.startsWith("#")) {
					continue;
				}
				rows.add(parse(lineNumber, line));
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return rows;
	}

	private static HostileRequest parse(int lineNumber, String line) {
		String[] columns = line.split("\t", -1);
		if (columns.length != 4) {
			throw new IllegalStateException(RESOURCE + " line " + lineNumber + ": expected 4 tab-separated columns "
					+ "(status, method, target, description) but found " + columns.length);
		}
		return new HostileRequest(lineNumber, Integer.parseInt(columns[0]), columns[1], columns[2], columns[3]);
	}

	/**
	 * Returns the request target as the bytes to put on the request line.
	 */
	byte[] targetBytes(int port) {
		return unescape(expand(this.target, port));
	}

	private static String expand(String template, int port) {
		Matcher matcher = PLACEHOLDER.matcher(template);
		StringBuilder expanded = new StringBuilder();
		while (matcher.find()) {
			matcher.appendReplacement(expanded, Matcher.quoteReplacement(valueOf(matcher.group(1), port)));
		}
		matcher.appendTail(expanded);
		return expanded.toString();
	}

	private static String valueOf(String placeholder, int port) {
		if (placeholder.startsWith("token:")) {
			return HostileWebroot.token(Integer.parseInt(placeholder.substring("token:".length())));
		}
		return switch (placeholder) {
			case "token" -> HostileWebroot.CONTROL_TOKEN;
			case "above" -> HostileWebroot.ABOVE_SECRET_NAME;
			case "webroot" -> HostileWebroot.WEBROOT_SECRET_NAME;
			case "beside" -> HostileWebroot.BESIDE_SECRET_NAME;
			case "port" -> Integer.toString(port);
			default -> throw new IllegalArgumentException("Unknown placeholder {" + placeholder + "}");
		};
	}

	private static byte[] unescape(String text) {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		int i = 0;
		while (i < text.length()) {
			if (text.startsWith("\\x", i)) {
				bytes.write(Integer.parseInt(text.substring(i + 2, i + 4), 16));
				i += 4;
			}
			else if (text.startsWith("\\\\", i)) {
				bytes.write('\\');
				i += 2;
			}
			else {
				int codePoint = text.codePointAt(i);
				bytes.writeBytes(new String(Character.toChars(codePoint)).getBytes(StandardCharsets.UTF_8));
				i += Character.charCount(codePoint);
			}
		}
		return bytes.toByteArray();
	}

	@Override
	public String toString() {
		String shown = (this.target.length() > 80) ? this.target.substring(0, 77) + "..." : this.target;
		return "line " + this.line + ": " + this.method + " " + shown + " -> " + this.status + " (" + this.description
				+ ")";
	}

}
