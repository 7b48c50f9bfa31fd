package dev.acmechallenge.sample;

import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;

/**
 * Single-page-app fallback: every path under {@code /app/} that is not a file is forwarded to the
 * app's {@code index.html}, where client-side routing takes over.
 */
@Controller
public class SinglePageAppController {

	@GetMapping({ "/app", "/app/", "/app/{*route}" })
	String index() {
		return "forward:/spa/index.html";
	}

}
