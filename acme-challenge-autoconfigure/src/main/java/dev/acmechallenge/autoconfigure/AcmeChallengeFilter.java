package dev.acmechallenge.autoconfigure;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.core.Ordered;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.PathContainer;
import org.springframework.web.servlet.HandlerMapping;
import org.springframework.web.servlet.resource.NoResourceFoundException;
import org.springframework.web.util.ServletRequestPathUtils;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;

/**
 * Servlet filter that handles every request under {@code /.well-known/acme-challenge} before the
 * application's own filters, servlets and handler mappings see it.
 * <p>
 * A filter, rather than a handler mapping, is used so that the challenge is answered even where the
 * application maps a servlet at {@code /*}, installs a security filter chain or redirects in a
 * filter of its own. Requests are handled in these phases: claim the path, check the method,
 * validate the token, look up the key authorization through the {@link ChallengeResourceHandler},
 * and write the response. Every claimed request gets a defined answer: {@code 200} with the key
 * authorization, {@code 404} or {@code 405} as plain text, or {@code 503} when the store fails.
 */
public class AcmeChallengeFilter implements Filter {

	/**
	 * Path under which ACME HTTP-01 validators request tokens, as set by RFC 8555 section 8.3.
	 */
	public static final String CHALLENGE_PATH = "/.well-known/acme-challenge";

	/**
	 * Order of the filter registration: ahead of every filter the application or Spring Boot
	 * registers, including Spring Security's filter chain.
	 */
	public static final int ORDER = Ordered.HIGHEST_PRECEDENCE;

	private static final Log logger = LogFactory.getLog(AcmeChallengeFilter.class);

	private static final PathPattern TOKEN_PATTERN = PathPatternParser.defaultInstance.parse(CHALLENGE_PATH + "/{token}");

	private static final String ALLOWED_METHODS = "GET, HEAD";

	private static final String NO_STORE = CacheControl.noStore().getHeaderValue();

	private final ChallengeResourceHandler handler;

	private final boolean passThroughMisses;

	private final List<ChallengeRequestListener> listeners;

	private final RateLimitedLog storeFailureLog = new RateLimitedLog(logger, 10, Duration.ofMinutes(1));

	/**
	 * Creates a filter that serves key authorizations from the given store.
	 * @param store the store to look tokens up in
	 * @param passThroughMisses whether a well-formed token that the store does not have is passed
	 * on to the application instead of getting a {@code 404}
	 * @param listeners callbacks for each handled request
	 */
	public AcmeChallengeFilter(ChallengeStore store, boolean passThroughMisses,
			List<ChallengeRequestListener> listeners) {
		try {
			this.handler = new ChallengeResourceHandler(store);
		}
		catch (Exception ex) {
			throw new IllegalStateException("Failed to initialize the ACME challenge resource handler", ex);
		}
		this.passThroughMisses = passThroughMisses;
		this.listeners = List.copyOf(listeners);
	}

	@Override
	public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
			throws IOException, ServletException {
		if (!(request instanceof HttpServletRequest httpRequest)
				|| !(response instanceof HttpServletResponse httpResponse)) {
			chain.doFilter(request, response);
		}
		else if (httpRequest.getDispatcherType() == DispatcherType.ERROR) {
			handleError(httpRequest, httpResponse, chain);
		}
		else if (isChallengeRequest(httpRequest)) {
			handle(httpRequest, httpResponse, chain);
		}
		else {
			chain.doFilter(request, response);
		}
	}

	/**
	 * Handles the error dispatch of a challenge request that the servlet container rejected before
	 * any filter ran, such as a {@code TRACE}, with the container's status and a plain-text body,
	 * so that the application's error page is not shown under the challenge path.
	 */
	private void handleError(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		Object uri = request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
		String path = (uri instanceof String text && text.startsWith(request.getContextPath()))
				? text.substring(request.getContextPath().length()) : null;
		HttpStatus status = HttpStatus.resolve(response.getStatus());
		if (!isClaimed(path) || status == null || !status.isError()) {
			chain.doFilter(request, response);
			return;
		}
		logRejection(request, "rejected by the servlet container with status " + status.value());
		if (status == HttpStatus.METHOD_NOT_ALLOWED) {
			writeMethodNotAllowed(response);
		}
		else {
			writePlainText(response, status, status.getReasonPhrase() + "\n");
		}
		notifyListeners(ChallengeOutcome.REJECTED, null, request, System.nanoTime());
	}

	/**
	 * Returns whether the request is for the challenge path, either as the servlet container
	 * normalized it or as the client sent it.
	 */
	private static boolean isChallengeRequest(HttpServletRequest request) {
		return isClaimed(normalizedPath(request)) || isClaimed(rawPathWithinApplication(request));
	}

	private void handle(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		long start = System.nanoTime();
		if (!HttpMethod.GET.matches(request.getMethod()) && !HttpMethod.HEAD.matches(request.getMethod())) {
			logRejection(request, "method not allowed");
			writeMethodNotAllowed(response);
			notifyListeners(ChallengeOutcome.REJECTED, null, request, start);
			return;
		}
		String token = extractToken(request);
		if (token == null) {
			logRejection(request, "not a valid ACME token path");
			writeNotFound(response);
			notifyListeners(ChallengeOutcome.REJECTED, null, request, start);
			return;
		}
		serve(request, response, chain, token, start);
	}

	private void serve(HttpServletRequest request, HttpServletResponse response, FilterChain chain, String token,
			long start) throws ServletException, IOException {
		request.setAttribute(HandlerMapping.PATH_WITHIN_HANDLER_MAPPING_ATTRIBUTE, token);
		try {
			this.handler.handleRequest(request, response);
			notifyListeners(ChallengeOutcome.SERVED, token, request, start);
		}
		catch (NoResourceFoundException ex) {
			request.removeAttribute(HandlerMapping.PATH_WITHIN_HANDLER_MAPPING_ATTRIBUTE);
			notifyListeners(ChallengeOutcome.NOT_FOUND, token, request, start);
			if (this.passThroughMisses) {
				chain.doFilter(request, response);
			}
			else {
				writeNotFound(response);
			}
		}
		catch (ChallengeStoreException ex) {
			this.storeFailureLog.warn(() -> "Failed to look up ACME challenge token [" + token + "]: " + describe(ex));
			if (logger.isDebugEnabled()) {
				logger.debug("Cause of the failed lookup of ACME challenge token [" + token + "]", ex);
			}
			response.setHeader(HttpHeaders.RETRY_AFTER, "5");
			writePlainText(response, HttpStatus.SERVICE_UNAVAILABLE, "ACME challenge store unavailable\n");
			notifyListeners(ChallengeOutcome.ERROR, token, request, start);
		}
		finally {
			request.removeAttribute(HandlerMapping.PATH_WITHIN_HANDLER_MAPPING_ATTRIBUTE);
		}
	}

	/**
	 * Returns the token when the raw path is exactly the challenge path followed by one valid
	 * token, with no escapes, path parameters or extra segments.
	 */
	private static String extractToken(HttpServletRequest request) {
		PathContainer path;
		try {
			path = ServletRequestPathUtils.parse(request).pathWithinApplication();
		}
		catch (IllegalArgumentException ex) {
			// An escape sequence that does not decode, which the container let through.
			return null;
		}
		PathPattern.PathMatchInfo match = TOKEN_PATTERN.matchAndExtract(path);
		if (match == null) {
			return null;
		}
		String token = match.getUriVariables().get("token");
		if (!ChallengeToken.isValid(token) || !path.value().equals(CHALLENGE_PATH + "/" + token)) {
			return null;
		}
		return token;
	}

	/**
	 * Returns whether a path is the challenge path or below it, ignoring case so that variants
	 * such as an upper-case prefix get this filter's answer rather than the application's. The
	 * Tomcat valves use it too, so that they let through exactly the requests this filter answers.
	 */
	static boolean isClaimed(String path) {
		if (path == null || !path.regionMatches(true, 0, CHALLENGE_PATH, 0, CHALLENGE_PATH.length())) {
			return false;
		}
		if (path.length() == CHALLENGE_PATH.length()) {
			return true;
		}
		char next = path.charAt(CHALLENGE_PATH.length());
		return next == '/' || next == ';' || next == '%' || next == '\\' || next == '.' || next == ' ';
	}

	/**
	 * Returns the path as normalized and decoded by the servlet container.
	 */
	private static String normalizedPath(HttpServletRequest request) {
		String pathInfo = request.getPathInfo();
		return (pathInfo != null) ? request.getServletPath() + pathInfo : request.getServletPath();
	}

	private static String rawPathWithinApplication(HttpServletRequest request) {
		String uri = request.getRequestURI();
		String contextPath = request.getContextPath();
		return (uri != null && uri.startsWith(contextPath)) ? uri.substring(contextPath.length()) : uri;
	}

	private void writeMethodNotAllowed(HttpServletResponse response) throws IOException {
		response.setHeader(HttpHeaders.ALLOW, ALLOWED_METHODS);
		writePlainText(response, HttpStatus.METHOD_NOT_ALLOWED, "Method not allowed: use GET or HEAD\n");
	}

	private void writeNotFound(HttpServletResponse response) throws IOException {
		writePlainText(response, HttpStatus.NOT_FOUND, "No ACME challenge for this token\n");
	}

	private void writePlainText(HttpServletResponse response, HttpStatus status, String body) throws IOException {
		byte[] content = body.getBytes(StandardCharsets.UTF_8);
		response.setStatus(status.value());
		response.setContentType("text/plain;charset=UTF-8");
		response.setContentLength(content.length);
		response.setHeader(HttpHeaders.CACHE_CONTROL, NO_STORE);
		response.setHeader(ChallengeResourceHandler.NOSNIFF_HEADER, "nosniff");
		response.getOutputStream().write(content);
	}

	/**
	 * Describes an exception and its causes on one line, for a WARN that is short enough to repeat.
	 */
	private static String describe(Throwable ex) {
		StringBuilder description = new StringBuilder(String.valueOf(ex.getMessage()));
		Throwable cause = ex.getCause();
		for (int depth = 0; cause != null && depth < 5; depth++) {
			description.append("; caused by ").append(cause);
			cause = cause.getCause();
		}
		return description.toString();
	}

	private void logRejection(HttpServletRequest request, String reason) {
		if (logger.isDebugEnabled()) {
			logger.debug("Rejected ACME challenge request " + ChallengeToken.escapeForLog(request.getMethod()) + " ["
					+ ChallengeToken.escapeForLog(request.getRequestURI()) + "]: " + reason);
		}
	}

	private void notifyListeners(ChallengeOutcome outcome, String token, HttpServletRequest request, long start) {
		if (this.listeners.isEmpty()) {
			return;
		}
		long duration = System.nanoTime() - start;
		for (ChallengeRequestListener listener : this.listeners) {
			listener.onChallengeRequest(outcome, token, request, duration);
		}
	}

}
