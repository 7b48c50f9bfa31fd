package dev.acmechallenge.autoconfigure;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServletRequest;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.web.servlet.DelegatingFilterProxyRegistrationBean;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.oauth2.jwt.JwtClaimsSet;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtEncoder;
import org.springframework.security.oauth2.jwt.JwtEncoderParameters;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.jwt.NimbusJwtEncoder;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.PortMapper;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.session.DisableEncodeUrlFilter;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * End-to-end tests of challenge requests in applications secured by Spring Security, where every
 * request but the challenge needs authentication.
 */
@Tag("security")
class SpringSecurityTests {

	private static final String WRONG_BASIC_CREDENTIALS = "Authorization: Basic "
			+ Base64.getEncoder().encodeToString("user:wrong-password".getBytes(StandardCharsets.UTF_8));

	private static final String RIGHT_BASIC_CREDENTIALS = "Authorization: Basic "
			+ Base64.getEncoder().encodeToString("user:password".getBytes(StandardCharsets.UTF_8));

	private static final String UNKNOWN_SESSION_COOKIE = "Cookie: JSESSIONID=0123456789ABCDEF0123456789ABCDEF";

	private static final String INVALID_BEARER_TOKEN = "Authorization: Bearer eyJhbGciOiJSUzI1NiJ9.e30.invalid";

	@DynamicPropertySource
	static void webroot(DynamicPropertyRegistry registry) {
		TestWebroot.register(registry);
	}

	@Nested
	@SpringBootTest(classes = FormLoginApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
			properties = "server.address=127.0.0.1")
	class FormLogin {

		@LocalServerPort
		int port;

		@Test
		void challengeServedWithoutLogin() throws IOException {
			RawHttpClient.Response response = RawHttpClient.get(this.port, TestWebroot.CHALLENGE_URI);
			assertThat(response.status()).isEqualTo(200);
			assertThat(response.body()).isEqualTo(TestWebroot.KEY_AUTHORIZATION);
		}

		@Test
		void challengeServedWithUnknownSession() throws IOException {
			RawHttpClient.Response response = RawHttpClient.get(this.port, TestWebroot.CHALLENGE_URI,
					UNKNOWN_SESSION_COOKIE);
			assertThat(response.status()).isEqualTo(200);
			assertThat(response.body()).isEqualTo(TestWebroot.KEY_AUTHORIZATION);
		}

		@Test
		void challengeCreatesNoSession() throws IOException {
			RawHttpClient.Response response = RawHttpClient.get(this.port, TestWebroot.CHALLENGE_URI);
			assertThat(response.headers("Set-Cookie")).isEmpty();
		}

		@Test
		void protectedPageCreatesSession() throws IOException {
			RawHttpClient.Response response = RawHttpClient.get(this.port, "/admin");
			assertThat(response.headers("Set-Cookie"))
				.anySatisfy((cookie) -> assertThat(cookie).startsWith("JSESSIONID="));
		}

		@Test
		void protectedPageRedirectsToLogin() throws IOException {
			RawHttpClient.Response response = RawHttpClient.get(this.port, "/admin", UNKNOWN_SESSION_COOKIE);
			assertThat(response.status()).isEqualTo(302);
			assertThat(response.header("Location")).endsWith("/login");
		}

		@Test
		void otherWellKnownPathRedirectsToLogin() throws IOException {
			RawHttpClient.Response response = RawHttpClient.get(this.port, "/.well-known/other");
			assertThat(response.status()).isEqualTo(302);
			assertThat(response.header("Location")).endsWith("/login");
		}

		@Test
		void challengePrefixLookalikeRedirectsToLogin() throws IOException {
			RawHttpClient.Response response = RawHttpClient.get(this.port, "/.well-known/acme-challengeX/token");
			assertThat(response.status()).isEqualTo(302);
			assertThat(response.header("Location")).endsWith("/login");
		}

	}

	@Nested
	@SpringBootTest(classes = HttpBasicApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
			properties = "server.address=127.0.0.1")
	class HttpBasic {

		@LocalServerPort
		int port;

		@Autowired
		FilterRegistrationBean<AcmeChallengeFilter> challengeFilterRegistration;

		@Autowired
		DelegatingFilterProxyRegistrationBean securityFilterRegistration;

		@Test
		void challengeServedWithoutCredentials() throws IOException {
			RawHttpClient.Response response = RawHttpClient.get(this.port, TestWebroot.CHALLENGE_URI);
			assertThat(response.status()).isEqualTo(200);
			assertThat(response.body()).isEqualTo(TestWebroot.KEY_AUTHORIZATION);
		}

		@Test
		void challengeServedWithWrongCredentials() throws IOException {
			RawHttpClient.Response response = RawHttpClient.get(this.port, TestWebroot.CHALLENGE_URI,
					WRONG_BASIC_CREDENTIALS);
			assertThat(response.status()).isEqualTo(200);
			assertThat(response.body()).isEqualTo(TestWebroot.KEY_AUTHORIZATION);
		}

		@Test
		void permitAllPathRejectsWrongCredentials() throws IOException {
			RawHttpClient.Response response = RawHttpClient.get(this.port, "/public", WRONG_BASIC_CREDENTIALS);
			assertThat(response.status()).isEqualTo(401);
		}

		@Test
		void challengeCreatesNoSession() throws IOException {
			RawHttpClient.Response response = RawHttpClient.get(this.port, TestWebroot.CHALLENGE_URI,
					WRONG_BASIC_CREDENTIALS);
			assertThat(response.headers("Set-Cookie")).isEmpty();
		}

		@Test
		void missingTokenAnsweredByChallengeFilter() throws IOException {
			RawHttpClient.Response response = RawHttpClient.get(this.port, TestWebroot.MISSING_CHALLENGE_URI);
			assertThat(response.status()).isEqualTo(404);
			assertThat(response.header("WWW-Authenticate")).isNull();
		}

		@Test
		void challengeNeverReachesSecurityChain() throws IOException {
			HttpBasicApplication.securityChainRequests.clear();
			RawHttpClient.get(this.port, TestWebroot.CHALLENGE_URI, WRONG_BASIC_CREDENTIALS);
			RawHttpClient.get(this.port, "/admin");
			assertThat(HttpBasicApplication.securityChainRequests).contains("/admin");
			assertThat(HttpBasicApplication.securityChainRequests).doesNotContain(TestWebroot.CHALLENGE_URI);
		}

		@Test
		void challengeFilterOrderedBeforeSecurity() {
			assertThat(this.challengeFilterRegistration.getOrder())
				.isLessThan(this.securityFilterRegistration.getOrder());
		}

		@Test
		void protectedPageNeedsCredentials() throws IOException {
			RawHttpClient.Response response = RawHttpClient.get(this.port, "/admin");
			assertThat(response.status()).isEqualTo(401);
		}

		@Test
		void protectedPageRejectsWrongCredentials() throws IOException {
			RawHttpClient.Response response = RawHttpClient.get(this.port, "/admin", WRONG_BASIC_CREDENTIALS);
			assertThat(response.status()).isEqualTo(401);
		}

		@Test
		void protectedPageServedWithCredentials() throws IOException {
			RawHttpClient.Response response = RawHttpClient.get(this.port, "/admin", RIGHT_BASIC_CREDENTIALS);
			assertThat(response.status()).isEqualTo(200);
			assertThat(response.body()).isEqualTo("admin page");
		}

		@Test
		void otherWellKnownPathNeedsCredentials() throws IOException {
			RawHttpClient.Response response = RawHttpClient.get(this.port, "/.well-known/other");
			assertThat(response.status()).isEqualTo(401);
		}

	}

	@Nested
	@SpringBootTest(classes = ResourceServerApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
			properties = "server.address=127.0.0.1")
	class ResourceServer {

		@LocalServerPort
		int port;

		@Autowired
		JwtEncoder jwtEncoder;

		@Test
		void challengeServedWithoutToken() throws IOException {
			RawHttpClient.Response response = RawHttpClient.get(this.port, TestWebroot.CHALLENGE_URI);
			assertThat(response.status()).isEqualTo(200);
			assertThat(response.body()).isEqualTo(TestWebroot.KEY_AUTHORIZATION);
		}

		@Test
		void challengeServedWithInvalidToken() throws IOException {
			RawHttpClient.Response response = RawHttpClient.get(this.port, TestWebroot.CHALLENGE_URI,
					INVALID_BEARER_TOKEN);
			assertThat(response.status()).isEqualTo(200);
			assertThat(response.body()).isEqualTo(TestWebroot.KEY_AUTHORIZATION);
		}

		@Test
		void permitAllPathRejectsInvalidToken() throws IOException {
			RawHttpClient.Response response = RawHttpClient.get(this.port, "/public", INVALID_BEARER_TOKEN);
			assertThat(response.status()).isEqualTo(401);
		}

		@Test
		void protectedPageNeedsToken() throws IOException {
			RawHttpClient.Response response = RawHttpClient.get(this.port, "/admin");
			assertThat(response.status()).isEqualTo(401);
			assertThat(response.header("WWW-Authenticate")).startsWith("Bearer");
		}

		@Test
		void protectedPageServedWithValidToken() throws IOException {
			JwtClaimsSet claims = JwtClaimsSet.builder()
				.subject("user")
				.issuedAt(Instant.now())
				.expiresAt(Instant.now().plusSeconds(300))
				.build();
			String token = this.jwtEncoder.encode(JwtEncoderParameters.from(claims)).getTokenValue();
			RawHttpClient.Response response = RawHttpClient.get(this.port, "/admin", "Authorization: Bearer " + token);
			assertThat(response.status()).isEqualTo(200);
		}

		@Test
		void otherWellKnownPathNeedsToken() throws IOException {
			RawHttpClient.Response response = RawHttpClient.get(this.port, "/.well-known/other", INVALID_BEARER_TOKEN);
			assertThat(response.status()).isEqualTo(401);
		}

	}

	@Nested
	@SpringBootTest(classes = ChannelSecurityApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
			properties = "server.address=127.0.0.1")
	class ChannelSecurity {

		@LocalServerPort
		int port;

		@Test
		void challengeNotRedirectedToHttps() throws IOException {
			RawHttpClient.Response response = RawHttpClient.get(this.port, TestWebroot.CHALLENGE_URI);
			assertThat(response.status()).isEqualTo(200);
			assertThat(response.body()).isEqualTo(TestWebroot.KEY_AUTHORIZATION);
		}

		@Test
		void otherPathRedirectedToHttps() throws IOException {
			RawHttpClient.Response response = RawHttpClient.get(this.port, "/public");
			assertThat(response.status()).isEqualTo(302);
			assertThat(response.header("Location")).isEqualTo("https://127.0.0.1:8443/public");
		}

	}

	@RestController
	static class PagesController {

		@GetMapping("/admin")
		String admin() {
			return "admin page";
		}

		@GetMapping("/public")
		String open() {
			return "public page";
		}

	}

	@SpringBootConfiguration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	@Import(PagesController.class)
	static class FormLoginApplication {

		@Bean
		SecurityFilterChain securityFilterChain(HttpSecurity http) {
			return http.authorizeHttpRequests((requests) -> requests.anyRequest().authenticated())
				.formLogin(Customizer.withDefaults())
				.build();
		}

		@Bean
		UserDetailsService userDetailsService() {
			return users();
		}

	}

	@SpringBootConfiguration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	@Import(PagesController.class)
	static class HttpBasicApplication {

		static final List<String> securityChainRequests = new CopyOnWriteArrayList<>();

		@Bean
		SecurityFilterChain securityFilterChain(HttpSecurity http) {
			Filter recorder = (request, response, chain) -> {
				securityChainRequests.add(((HttpServletRequest) request).getRequestURI());
				chain.doFilter(request, response);
			};
			return http.addFilterBefore(recorder, DisableEncodeUrlFilter.class)
				.authorizeHttpRequests((requests) -> requests.requestMatchers("/public")
					.permitAll()
					.anyRequest()
					.authenticated())
				.httpBasic(Customizer.withDefaults())
				.build();
		}

		@Bean
		UserDetailsService userDetailsService() {
			return users();
		}

	}

	@SpringBootConfiguration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	@Import(PagesController.class)
	static class ResourceServerApplication {

		private final KeyPair keyPair = generateRsaKeyPair();

		@Bean
		SecurityFilterChain securityFilterChain(HttpSecurity http) {
			return http
				.authorizeHttpRequests((requests) -> requests.requestMatchers("/public")
					.permitAll()
					.anyRequest()
					.authenticated())
				.oauth2ResourceServer((resourceServer) -> resourceServer.jwt(Customizer.withDefaults()))
				.build();
		}

		@Bean
		JwtDecoder jwtDecoder() {
			return NimbusJwtDecoder.withPublicKey((RSAPublicKey) this.keyPair.getPublic()).build();
		}

		@Bean
		JwtEncoder jwtEncoder() {
			return NimbusJwtEncoder
				.withKeyPair((RSAPublicKey) this.keyPair.getPublic(), (RSAPrivateKey) this.keyPair.getPrivate())
				.build();
		}

		private static KeyPair generateRsaKeyPair() {
			try {
				KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
				generator.initialize(2048);
				return generator.generateKeyPair();
			}
			catch (NoSuchAlgorithmException ex) {
				throw new IllegalStateException(ex);
			}
		}

	}

	@SpringBootConfiguration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	@Import(PagesController.class)
	static class ChannelSecurityApplication {

		@Bean
		SecurityFilterChain securityFilterChain(HttpSecurity http) {
			PortMapper httpsOn8443 = new PortMapper() {

				@Override
				public Integer lookupHttpsPort(Integer httpPort) {
					return 8443;
				}

				@Override
				public Integer lookupHttpPort(Integer httpsPort) {
					return null;
				}

			};
			return http.portMapper((ports) -> ports.portMapper(httpsOn8443))
				.redirectToHttps(Customizer.withDefaults())
				.authorizeHttpRequests((requests) -> requests.anyRequest().permitAll())
				.build();
		}

	}

	private static UserDetailsService users() {
		return new InMemoryUserDetailsManager(
				User.withUsername("user").password("{noop}password").roles("USER").build());
	}

}
