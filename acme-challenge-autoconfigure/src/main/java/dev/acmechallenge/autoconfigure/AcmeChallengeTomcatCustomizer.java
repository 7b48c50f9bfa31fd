package dev.acmechallenge.autoconfigure;

import java.util.Map;
import java.util.function.Supplier;

import jakarta.servlet.Filter;
import org.apache.catalina.connector.Connector;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.Ssl;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.util.StringUtils;

/**
 * Adds what Tomcat needs, beyond the challenge filter, to answer challenges at the host root on
 * port 80: a {@link RootChallengeValve} when the application runs under a context path, and the
 * plain-HTTP connector of {@code acme.http-port} with its {@link HttpsRedirectValve}.
 * <p>
 * Runs after Spring Boot's own customizers, so that the context path, port and SSL settings of
 * {@code server.*} are already applied to the factory.
 */
class AcmeChallengeTomcatCustomizer implements WebServerFactoryCustomizer<TomcatServletWebServerFactory>,
		ApplicationListener<WebServerInitializedEvent>, Ordered {

	/**
	 * Property that contains the local port of the plain-HTTP connector once the server has started,
	 * like {@code local.server.port} for the main port.
	 */
	static final String LOCAL_HTTP_PORT_PROPERTY = "local.acme.http-port";

	private static final Log logger = LogFactory.getLog(AcmeChallengeTomcatCustomizer.class);

	private final AcmeChallengeProperties properties;

	private final Supplier<Filter> challengeFilter;

	private volatile Connector httpConnector;

	AcmeChallengeTomcatCustomizer(AcmeChallengeProperties properties, Supplier<Filter> challengeFilter) {
		this.properties = properties;
		this.challengeFilter = challengeFilter;
	}

	@Override
	public void customize(TomcatServletWebServerFactory factory) {
		String contextPath = factory.getContextPath();
		if (StringUtils.hasLength(contextPath)) {
			factory.addEngineValves(new RootChallengeValve(this.challengeFilter));
			logger.info("Answering ACME challenges at the server root, outside the context path [" + contextPath
					+ "]");
		}
		Integer httpPort = this.properties.getHttpPort();
		if (httpPort != null) {
			int port = HttpPort.check(httpPort, factory.getPort(), Ssl.isEnabled(factory.getSsl()));
			Connector connector = createHttpConnector(factory, port);
			factory.addAdditionalConnectors(connector);
			factory.addEngineValves(new HttpsRedirectValve(connector));
			this.httpConnector = connector;
		}
	}

	private static Connector createHttpConnector(TomcatServletWebServerFactory factory, int port) {
		Connector connector = new Connector(factory.getProtocol());
		connector.setPort(port);
		connector.setScheme("http");
		connector.setSecure(false);
		if (factory.getUriEncoding() != null) {
			connector.setURIEncoding(factory.getUriEncoding().name());
		}
		if (factory.getAddress() != null) {
			connector.setProperty("address", factory.getAddress().getHostAddress());
		}
		return connector;
	}

	/**
	 * Publishes the local port of the plain-HTTP connector as {@value #LOCAL_HTTP_PORT_PROPERTY}
	 * and logs it, once the main web server has started.
	 */
	@Override
	public void onApplicationEvent(WebServerInitializedEvent event) {
		Connector connector = this.httpConnector;
		WebServerApplicationContext context = event.getApplicationContext();
		if (connector == null || context.getServerNamespace() != null) {
			return;
		}
		int port = connector.getLocalPort();
		if (context.getEnvironment() instanceof ConfigurableEnvironment environment) {
			environment.getPropertySources()
				.addFirst(new MapPropertySource("acme.ports", Map.of(LOCAL_HTTP_PORT_PROPERTY, port)));
		}
		logger.info("Answering ACME challenges on plain-HTTP port " + port + " and redirecting every other "
				+ "request there to HTTPS port " + event.getWebServer().getPort());
	}

	@Override
	public int getOrder() {
		return Ordered.LOWEST_PRECEDENCE;
	}

}
