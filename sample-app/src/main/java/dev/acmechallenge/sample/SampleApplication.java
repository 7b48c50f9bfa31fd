package dev.acmechallenge.sample;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * Multi-page site with catch-all page routing and a single-page-app fallback, the kind of
 * application whose routing would swallow ACME challenge requests without the starter.
 */
@SpringBootApplication
public class SampleApplication {

	public static void main(String[] args) {
		SpringApplication.run(SampleApplication.class, args);
	}

}
