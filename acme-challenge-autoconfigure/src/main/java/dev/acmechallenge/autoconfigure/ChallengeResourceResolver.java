package dev.acmechallenge.autoconfigure;

import java.nio.charset.StandardCharsets;
import java.util.List;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.core.io.ByteArrayResource;
import org.springframework.core.io.Resource;
import org.springframework.web.servlet.resource.ResourceResolver;
import org.springframework.web.servlet.resource.ResourceResolverChain;

/**
 * {@link ResourceResolver} that resolves a token to its key authorization in a
 * {@link ChallengeStore}. It ends the resolver chain: locations are not consulted, because the
 * store alone decides which tokens exist.
 */
class ChallengeResourceResolver implements ResourceResolver {

	private final ChallengeStore store;

	ChallengeResourceResolver(ChallengeStore store) {
		this.store = store;
	}

	@Override
	public Resource resolveResource(HttpServletRequest request, String token, List<? extends Resource> locations,
			ResourceResolverChain chain) {
		if (!ChallengeToken.isValid(token)) {
			return null;
		}
		return this.store.findKeyAuthorization(token)
			.map((keyAuthorization) -> new KeyAuthorizationResource(keyAuthorization, token))
			.orElse(null);
	}

	@Override
	public String resolveUrlPath(String resourcePath, List<? extends Resource> locations,
			ResourceResolverChain chain) {
		return null;
	}

	/**
	 * Key authorization held in memory, so that the length sent is the length of the bytes written
	 * even when the file behind it changes during the request.
	 */
	static final class KeyAuthorizationResource extends ByteArrayResource {

		KeyAuthorizationResource(String keyAuthorization, String token) {
			super(keyAuthorization.getBytes(StandardCharsets.UTF_8), "key authorization for token [" + token + "]");
		}

	}

}
