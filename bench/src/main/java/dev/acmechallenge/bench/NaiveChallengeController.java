package dev.acmechallenge.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.regex.Pattern;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * The hand-written alternative the benchmark compares against: a controller that reads the token
 * file on every request. It checks the token syntax, so it is naive about speed only, not a
 * path-traversal hole.
 */
@RestController
@ConditionalOnBooleanProperty("bench.naive-controller")
class NaiveChallengeController {

	private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9_-]{22,255}");

	private final Path challengeDirectory;

	NaiveChallengeController(@Value("${bench.webroot}") Path webroot) {
		this.challengeDirectory = webroot.resolve(".well-known/acme-challenge");
	}

	@GetMapping("/.well-known/acme-challenge/{token}")
	ResponseEntity<String> challenge(@PathVariable String token) throws IOException {
		if (!TOKEN.matcher(token).matches()) {
			return ResponseEntity.notFound().build();
		}
		try {
			String keyAuthorization = Files.readString(this.challengeDirectory.resolve(token)).stripTrailing();
			return ResponseEntity.ok().contentType(MediaType.TEXT_PLAIN).body(keyAuthorization);
		}
		catch (NoSuchFileException ex) {
			return ResponseEntity.notFound().build();
		}
	}

}
