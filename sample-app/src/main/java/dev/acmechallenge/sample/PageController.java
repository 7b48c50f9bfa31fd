package dev.acmechallenge.sample;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Set;

import org.springframework.core.io.ClassPathResource;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;

/**
 * Page router: renders the known page names and answers every other name with the site's own
 * HTML 404 page.
 */
@Controller
public class PageController {

	/**
	 * Marker in the site's 404 page, so that tests can tell it apart from other answers.
	 */
	public static final String NOT_FOUND_MARKER = "sample-app: page not found";

	private static final Set<String> PAGES = Set.of("home", "about", "contact");

	@GetMapping("/")
	ResponseEntity<String> home() throws IOException {
		return page("home");
	}

	@GetMapping("/{page}")
	ResponseEntity<String> page(@PathVariable String page) throws IOException {
		if (!PAGES.contains(page)) {
			return html(HttpStatus.NOT_FOUND, render("not-found"));
		}
		return html(HttpStatus.OK, render(page));
	}

	private static String render(String name) throws IOException {
		try (InputStream input = new ClassPathResource("pages/" + name + ".html").getInputStream()) {
			return new String(input.readAllBytes(), StandardCharsets.UTF_8);
		}
	}

	private static ResponseEntity<String> html(HttpStatus status, String body) {
		return ResponseEntity.status(status).contentType(MediaType.TEXT_HTML).body(body);
	}

}
