package dev.acmechallenge.autoconfigure;

import java.io.IOException;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.core.io.ByteArrayResource;
import org.springframework.core.io.Resource;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpOutputMessage;
import org.springframework.http.MediaType;
import org.springframework.http.converter.ResourceHttpMessageConverter;
import org.springframework.web.servlet.HandlerMapping;
import org.springframework.web.servlet.resource.ResourceHttpRequestHandler;

/**
 * {@link ResourceHttpRequestHandler} that writes key authorizations resolved from a
 * {@link ChallengeStore}.
 * <p>
 * A challenge response must be the same for every validator request, so the handler sends
 * {@code Cache-Control: no-store} and neither {@code ETag} nor {@code Last-Modified}, and it
 * ignores conditional and range request headers: the response is always a complete {@code 200}.
 */
class ChallengeResourceHandler extends ResourceHttpRequestHandler {

	static final String NOSNIFF_HEADER = "X-Content-Type-Options";

	private static final String[] IGNORED_REQUEST_HEADERS = { HttpHeaders.RANGE, HttpHeaders.IF_RANGE,
			HttpHeaders.IF_NONE_MATCH, HttpHeaders.IF_MODIFIED_SINCE, HttpHeaders.IF_MATCH,
			HttpHeaders.IF_UNMODIFIED_SINCE };

	private final ChallengeResourceResolver resolver;

	ChallengeResourceHandler(ChallengeStore store) throws Exception {
		this.resolver = new ChallengeResourceResolver(store);
		setResourceResolvers(List.of(this.resolver));
		setUseLastModified(false);
		setEtagGenerator(null);
		setCacheControl(CacheControl.noStore());
		setResourceHttpMessageConverter(new KeyAuthorizationMessageConverter());
		afterPropertiesSet();
	}

	@Override
	public void handleRequest(HttpServletRequest request, HttpServletResponse response)
			throws ServletException, IOException {
		super.handleRequest(new UnconditionalRequest(request), response);
	}

	/**
	 * Resolves the token that {@link AcmeChallengeFilter} validated and stored as the path within
	 * the handler mapping. The superclass's checks for traversal and encoded paths are skipped:
	 * a valid token has only base64url characters, so none of the sequences they look for can
	 * occur in it, and the resolver checks the token again.
	 */
	@Override
	protected Resource getResource(HttpServletRequest request) {
		String token = (String) request.getAttribute(HandlerMapping.PATH_WITHIN_HANDLER_MAPPING_ATTRIBUTE);
		return this.resolver.resolveResource(request, token, getLocations(), null);
	}

	@Override
	protected MediaType getMediaType(HttpServletRequest request, Resource resource) {
		return MediaType.TEXT_PLAIN;
	}

	@Override
	protected void setHeaders(HttpServletResponse response, Resource resource, MediaType mediaType)
			throws IOException {
		response.setContentLengthLong(resource.contentLength());
		response.setContentType(mediaType.toString());
		response.setHeader(NOSNIFF_HEADER, "nosniff");
	}

	/**
	 * {@link ResourceHttpMessageConverter} that writes an in-memory key authorization with one
	 * call, instead of copying it through an input stream and an 8 KB buffer as for a file.
	 */
	private static final class KeyAuthorizationMessageConverter extends ResourceHttpMessageConverter {

		@Override
		protected void writeContent(Resource resource, HttpOutputMessage outputMessage) throws IOException {
			if (resource instanceof ByteArrayResource bytes) {
				outputMessage.getBody().write(bytes.getByteArray());
			}
			else {
				super.writeContent(resource, outputMessage);
			}
		}

	}

	/**
	 * Request view without the range and conditional headers, so that the handler never responds
	 * with {@code 206} or {@code 304}.
	 */
	private static final class UnconditionalRequest extends HttpServletRequestWrapper {

		UnconditionalRequest(HttpServletRequest request) {
			super(request);
		}

		@Override
		public String getHeader(String name) {
			return isIgnored(name) ? null : super.getHeader(name);
		}

		@Override
		public Enumeration<String> getHeaders(String name) {
			return isIgnored(name) ? Collections.emptyEnumeration() : super.getHeaders(name);
		}

		@Override
		public long getDateHeader(String name) {
			return isIgnored(name) ? -1 : super.getDateHeader(name);
		}

		private static boolean isIgnored(String name) {
			for (String ignored : IGNORED_REQUEST_HEADERS) {
				if (ignored.equalsIgnoreCase(name)) {
					return true;
				}
			}
			return false;
		}

	}

}
