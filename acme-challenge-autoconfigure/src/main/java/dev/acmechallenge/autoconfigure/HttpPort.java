package dev.acmechallenge.autoconfigure;

import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;

/**
 * Checks {@code acme.http-port} against the web server it is added to. Invalid values fail
 * startup with an exception that Spring Boot's failure analyzers report with the property, the
 * value and the fix.
 */
final class HttpPort {

	static final String PROPERTY = AcmeChallengeProperties.PREFIX + ".http-port";

	private static final int MAX_PORT = 65535;

	private HttpPort() {
	}

	/**
	 * Checks the port of the plain-HTTP connector.
	 * @param httpPort the value of {@code acme.http-port}
	 * @param serverPort the main port of the web server, from {@code server.port}
	 * @param httpsEnabled whether the main port serves HTTPS
	 * @return the port to bind, {@code 0} for a free port
	 * @throws InvalidConfigurationPropertyValueException if the port cannot be used
	 */
	static int check(int httpPort, int serverPort, boolean httpsEnabled) {
		if (httpPort < 0 || httpPort > MAX_PORT) {
			throw new InvalidConfigurationPropertyValueException(PROPERTY, httpPort,
					"The port must be between 0 and " + MAX_PORT + ", where 0 picks a free port. Set it to 80, "
							+ "the port that ACME validators connect to.");
		}
		if (httpPort != 0 && httpPort == serverPort) {
			throw new InvalidConfigurationPropertyValueException(PROPERTY, httpPort,
					"The port is also set as server.port, so the HTTPS connector and the plain-HTTP connector "
							+ "cannot both bind it. Serve HTTPS on server.port (for example 443) and set "
							+ PROPERTY + " to 80.");
		}
		if (!httpsEnabled) {
			throw new InvalidConfigurationPropertyValueException(PROPERTY, httpPort,
					"The server does not serve HTTPS on server.port, so there is no HTTPS port to redirect to. "
							+ "Configure HTTPS with server.ssl.bundle, or remove " + PROPERTY
							+ ": a plain-HTTP server.port answers challenges without it.");
		}
		return httpPort;
	}

	/**
	 * Rejects {@code acme.http-port} on a web server that the starter cannot add a connector to.
	 * @param httpPort the value of {@code acme.http-port}
	 * @param serverName the simple name of the web server factory class
	 * @return the exception to throw
	 */
	static InvalidConfigurationPropertyValueException unsupported(int httpPort, String serverName) {
		return new InvalidConfigurationPropertyValueException(PROPERTY, httpPort,
				"The additional plain-HTTP connector is only supported on Tomcat, and this application runs on "
						+ serverName + ". Use Tomcat, Spring Boot's default web server, or remove " + PROPERTY
						+ " and serve plain HTTP on server.port, which answers challenges without it.");
	}

}
