package dev.acmechallenge.bench;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * Application measured by {@code bench/run.sh}. One build serves every variant, chosen by
 * properties: the starter ({@code acme.webroot}), Spring's static resource handler
 * ({@code spring.web.resources.static-locations}) or a naive controller
 * ({@code bench.naive-controller=true}).
 */
@SpringBootApplication
public class BenchApplication {

	public static void main(String[] args) {
		SpringApplication.run(BenchApplication.class, args);
	}

}
