package dev.acmechallenge.autoconfigure;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.web.server.servlet.ConfigurableServletWebServerFactory;
import org.springframework.core.Ordered;
import org.springframework.util.ClassUtils;
import org.springframework.util.StringUtils;

/**
 * Reports the settings that only the Tomcat support can honour when the application runs on
 * another web server, such as Jetty: {@code acme.http-port} fails startup, and a context path
 * gets a warning because challenges at the server root are not answered.
 */
class UnsupportedWebServerCustomizer
		implements WebServerFactoryCustomizer<ConfigurableServletWebServerFactory>, Ordered {

	private static final String TOMCAT_FACTORY_CLASS = "org.springframework.boot.tomcat.servlet."
			+ "TomcatServletWebServerFactory";

	private static final Log logger = LogFactory.getLog(UnsupportedWebServerCustomizer.class);

	private final AcmeChallengeProperties properties;

	UnsupportedWebServerCustomizer(AcmeChallengeProperties properties) {
		this.properties = properties;
	}

	@Override
	public void customize(ConfigurableServletWebServerFactory factory) {
		if (isTomcat(factory)) {
			return;
		}
		String serverName = factory.getClass().getSimpleName();
		if (this.properties.getHttpPort() != null) {
			throw HttpPort.unsupported(this.properties.getHttpPort(), serverName);
		}
		String contextPath = factory.getContextPath();
		if (StringUtils.hasLength(contextPath)) {
			logger.warn("ACME challenges are answered only under the context path [" + contextPath + "], not at "
					+ "the server root where validators request them, because " + serverName + " is not supported "
					+ "for root challenges: use Tomcat, remove server.servlet.context-path, or have a proxy forward "
					+ AcmeChallengeFilter.CHALLENGE_PATH + "/ to " + contextPath + AcmeChallengeFilter.CHALLENGE_PATH
					+ "/");
		}
	}

	private static boolean isTomcat(ConfigurableServletWebServerFactory factory) {
		return ClassUtils.isPresent(TOMCAT_FACTORY_CLASS, UnsupportedWebServerCustomizer.class.getClassLoader())
				&& TomcatCheck.isTomcat(factory);
	}

	@Override
	public int getOrder() {
		return Ordered.LOWEST_PRECEDENCE;
	}

	/**
	 * Holds the reference to the Tomcat factory class, so that it is loaded only when present.
	 */
	private static final class TomcatCheck {

		static boolean isTomcat(Object factory) {
			return factory instanceof TomcatServletWebServerFactory;
		}

	}

}
