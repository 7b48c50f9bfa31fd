package dev.acmechallenge.bench;

import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * A normal page of the application, used to measure what the starter costs requests that are not
 * challenges.
 */
@RestController
class PageController {

	private static final String PAGE = "<!DOCTYPE html><html><head><title>Page</title></head>"
			+ "<body><h1>Page</h1><p>A page that is not an ACME challenge.</p></body></html>";

	@GetMapping(path = "/page", produces = MediaType.TEXT_HTML_VALUE)
	String page() {
		return PAGE;
	}

}
