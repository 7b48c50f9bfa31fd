package dev.acmechallenge.autoconfigure;

import java.io.IOException;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletResponse;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ValveBase;

import org.springframework.http.HttpHeaders;
import org.springframework.util.StringUtils;

/**
 * Tomcat engine valve for the plain-HTTP connector added by {@code acme.http-port}: challenge
 * requests go on to the challenge filter, every other request is answered with
 * {@code 301 Moved Permanently} to the same host, path and query on the HTTPS port.
 * <p>
 * Requests that arrive on any other connector are not touched.
 */
class HttpsRedirectValve extends ValveBase {

	private static final int DEFAULT_HTTPS_PORT = 443;

	private final Connector httpConnector;

	HttpsRedirectValve(Connector httpConnector) {
		super(true);
		this.httpConnector = httpConnector;
	}

	@Override
	public void invoke(Request request, Response response) throws IOException, ServletException {
		// A response already in error was rejected by Tomcat (bad request line or Host header): its
		// status stands, and nothing derived from that request is put into a redirect.
		if (request.getConnector() != this.httpConnector || response.isError() || isChallengeRequest(request)) {
			getNext().invoke(request, response);
			return;
		}
		String uri = request.getRequestURI();
		if (uri == null || !uri.startsWith("/") || !StringUtils.hasText(request.getHeader(HttpHeaders.HOST))) {
			// Only an origin-form target and the Host header the client sent make a safe
			// redirect: anything else could point the client at another host.
			response.sendError(HttpServletResponse.SC_BAD_REQUEST);
			return;
		}
		int httpsPort = findHttpsPort();
		// Startup fails without a running HTTPS connector, so this only happens while it stops.
		if (httpsPort <= 0) {
			response.sendError(HttpServletResponse.SC_SERVICE_UNAVAILABLE);
			return;
		}
		response.setStatus(HttpServletResponse.SC_MOVED_PERMANENTLY);
		response.setHeader(HttpHeaders.LOCATION, httpsLocation(request, httpsPort));
		response.setContentLength(0);
	}

	/**
	 * Returns whether the request goes to the challenge path once Tomcat has decoded and
	 * normalized it. The raw URI is not enough: with a context path, a raw URI such as
	 * {@code /.well-known/acme-challenge/%2e%2e/%2e%2e/app/page} maps to an application page,
	 * which must be redirected, not served over plain HTTP.
	 */
	private static boolean isChallengeRequest(Request request) {
		String path = request.getDecodedRequestURI();
		if (AcmeChallengeFilter.isClaimed(path)) {
			return true;
		}
		// Under a context path, the application's own challenge URL is answered too.
		String contextPath = (request.getContext() != null) ? request.getContext().getPath() : "";
		return !contextPath.isEmpty() && path != null && path.startsWith(contextPath + "/")
				&& AcmeChallengeFilter.isClaimed(path.substring(contextPath.length()));
	}

	/**
	 * Returns the local port of the first secure connector of the service, which is the
	 * application's main HTTPS connector, or {@code -1} if none is running.
	 */
	private int findHttpsPort() {
		for (Connector connector : this.httpConnector.getService().findConnectors()) {
			if (connector != this.httpConnector && connector.getSecure() && connector.getLocalPort() > 0) {
				return connector.getLocalPort();
			}
		}
		return -1;
	}

	/**
	 * Builds the redirect target from the host the client asked for and the request target as it
	 * was sent, so that the path and query keep their original encoding.
	 */
	private static String httpsLocation(Request request, int httpsPort) {
		String host = request.getServerName();
		if (host.indexOf(':') >= 0 && !host.startsWith("[")) {
			host = "[" + host + "]";
		}
		StringBuilder location = new StringBuilder("https://").append(host);
		if (httpsPort != DEFAULT_HTTPS_PORT) {
			location.append(':').append(httpsPort);
		}
		location.append(request.getRequestURI());
		String query = request.getQueryString();
		if (query != null) {
			location.append('?').append(query);
		}
		return location.toString();
	}

}
