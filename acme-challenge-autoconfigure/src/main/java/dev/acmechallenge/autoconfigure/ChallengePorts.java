package dev.acmechallenge.autoconfigure;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

import org.apache.catalina.Service;
import org.apache.catalina.connector.Connector;
import org.apache.coyote.AbstractProtocol;
import org.apache.coyote.ProtocolHandler;
import org.apache.coyote.http11.AbstractHttp11Protocol;

import org.springframework.boot.tomcat.TomcatWebServer;
import org.springframework.boot.web.server.WebServer;
import org.springframework.util.ClassUtils;

/**
 * Finds the plain-HTTP ports of a running web server, with the local address to reach each one.
 * These are the ports on which an ACME HTTP-01 validator can fetch challenges.
 */
final class ChallengePorts {

	private static final boolean TOMCAT_PRESENT = ClassUtils
		.isPresent("org.springframework.boot.tomcat.TomcatWebServer", ChallengePorts.class.getClassLoader());

	private ChallengePorts() {
	}

	/**
	 * Returns the address of every started plain-HTTP connector of the server. Connectors bound to
	 * every interface are reached over the loopback address.
	 * @param server the running web server
	 * @return the addresses, in the server's connector order
	 */
	static List<InetSocketAddress> plainHttp(WebServer server) {
		if (TOMCAT_PRESENT && TomcatPorts.isTomcat(server)) {
			return TomcatPorts.plainHttp(server);
		}
		// NOTE: on servers other than Tomcat only the main port is known, and it is assumed to
		// serve plain HTTP on every interface.
		int port = server.getPort();
		return (port > 0) ? List.of(new InetSocketAddress(InetAddress.getLoopbackAddress(), port)) : List.of();
	}

	private static InetAddress reachableAddress(InetAddress boundAddress) {
		if (boundAddress == null || boundAddress.isAnyLocalAddress()) {
			return InetAddress.getLoopbackAddress();
		}
		return boundAddress;
	}

	/**
	 * Tomcat-specific lookup, in its own class so that it is loaded only when Tomcat is present.
	 */
	private static final class TomcatPorts {

		static boolean isTomcat(WebServer server) {
			return server instanceof TomcatWebServer;
		}

		static List<InetSocketAddress> plainHttp(WebServer server) {
			List<InetSocketAddress> addresses = new ArrayList<>();
			for (Service service : ((TomcatWebServer) server).getTomcat().getServer().findServices()) {
				for (Connector connector : service.findConnectors()) {
					ProtocolHandler handler = connector.getProtocolHandler();
					if (connector.getLocalPort() > 0 && !isSslEnabled(handler)) {
						addresses.add(new InetSocketAddress(reachableAddress(boundAddress(handler)),
								connector.getLocalPort()));
					}
				}
			}
			return addresses;
		}

		private static InetAddress boundAddress(ProtocolHandler handler) {
			return (handler instanceof AbstractProtocol<?> protocol) ? protocol.getAddress() : null;
		}

		private static boolean isSslEnabled(ProtocolHandler handler) {
			return handler instanceof AbstractHttp11Protocol<?> http11 && http11.isSSLEnabled();
		}

	}

}
