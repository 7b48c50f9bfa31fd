package dev.acmechallenge.autoconfigure;

import java.io.IOException;
import java.util.Collections;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

import jakarta.servlet.Filter;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ValveBase;

/**
 * Tomcat engine valve that answers challenge requests at the server root when the application
 * runs under a context path.
 * <p>
 * ACME validators always request {@code /.well-known/acme-challenge/{token}} at the root of the
 * host. With {@code server.servlet.context-path=/app}, Tomcat maps no context to that path and
 * would answer {@code 404} before any filter runs. This valve sees the request first and hands it
 * to the same challenge filter that serves the application's context. Requests that a context
 * maps, and every other path, go on unchanged.
 */
class RootChallengeValve extends ValveBase {

	private final Supplier<Filter> challengeFilter;

	/**
	 * Creates a valve that answers with the given filter.
	 * @param challengeFilter supplier of the challenge filter, called per request so that the
	 * filter and its store are created by the application context, not by the web server factory
	 */
	RootChallengeValve(Supplier<Filter> challengeFilter) {
		super(true);
		this.challengeFilter = challengeFilter;
	}

	@Override
	public void invoke(Request request, Response response) throws IOException, ServletException {
		// A response already in error was rejected by Tomcat (bad request line, missing Host header,
		// unsupported protocol): its status stands and no key authorization is written under it.
		if (request.getContext() != null || response.isError() || !isChallengeRequest(request)) {
			getNext().invoke(request, response);
			return;
		}
		// A miss passed on by the filter has no application to go to: the host answers 404.
		this.challengeFilter.get()
			.doFilter(new RootRequest(request), response.getResponse(),
					(filteredRequest, filteredResponse) -> getNext().invoke(request, response));
	}

	/**
	 * Returns whether the decoded or the raw request URI is claimed by the challenge filter, the
	 * same test the filter applies to the path within the application.
	 */
	private static boolean isChallengeRequest(Request request) {
		return AcmeChallengeFilter.isClaimed(request.getDecodedRequestURI())
				|| AcmeChallengeFilter.isClaimed(request.getRequestURI());
	}

	/**
	 * View of a request that no context is mapped to, as the filter expects it. The whole
	 * decoded URI is the servlet path. Request attributes are kept in this wrapper, because
	 * Tomcat notifies the context's listeners when an attribute changes, which fails without a
	 * context.
	 */
	private static final class RootRequest extends HttpServletRequestWrapper {

		private final String servletPath;

		private final Map<String, Object> attributes = new HashMap<>();

		RootRequest(Request request) {
			super(request.getRequest());
			this.servletPath = request.getDecodedRequestURI();
		}

		@Override
		public String getContextPath() {
			return "";
		}

		@Override
		public String getServletPath() {
			return this.servletPath;
		}

		@Override
		public String getPathInfo() {
			return null;
		}

		@Override
		public Object getAttribute(String name) {
			Object value = this.attributes.get(name);
			return (value != null) ? value : super.getAttribute(name);
		}

		@Override
		public Enumeration<String> getAttributeNames() {
			Set<String> names = new LinkedHashSet<>(Collections.list(super.getAttributeNames()));
			names.addAll(this.attributes.keySet());
			return Collections.enumeration(names);
		}

		@Override
		public void setAttribute(String name, Object value) {
			if (value == null) {
				removeAttribute(name);
			}
			else {
				this.attributes.put(name, value);
			}
		}

		@Override
		public void removeAttribute(String name) {
			this.attributes.remove(name);
		}

	}

}
