package dev.acmechallenge.autoconfigure;

import java.beans.PropertyDescriptor;
import java.io.IOException;
import java.net.URI;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.BeanWrapper;
import org.springframework.beans.PropertyAccessorFactory;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.util.unit.DataSize;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests the configuration metadata that the build generates next to
 * {@link AcmeChallengeProperties}: every property has a description and, where the property has a
 * default, that default; enumerated values have hints.
 */
class ConfigurationMetadataTests {

	private static final String METADATA_PATH = "META-INF/spring-configuration-metadata.json";

	private static JsonNode metadata;

	@BeforeAll
	static void readMetadata() throws Exception {
		URI location = AcmeChallengeProperties.class.getProtectionDomain().getCodeSource().getLocation().toURI();
		metadata = JsonMapper.builder().build().readTree(readMetadataNextTo(Path.of(location)));
	}

	/**
	 * Reads the metadata from the directory (such as target/classes) or jar that contains the
	 * compiled properties class.
	 */
	private static String readMetadataNextTo(Path location) throws IOException {
		if (Files.isDirectory(location)) {
			return Files.readString(location.resolve(METADATA_PATH));
		}
		try (FileSystem jar = FileSystems.newFileSystem(location)) {
			return Files.readString(jar.getPath(METADATA_PATH));
		}
	}

	@Test
	void describesEveryProperty() {
		Map<String, Object> defaults = defaults("acme", new AcmeChallengeProperties());
		assertThat(defaults).hasSizeGreaterThanOrEqualTo(12);
		for (String name : defaults.keySet()) {
			JsonNode property = property(name);
			assertThat(property).as(name).isNotNull();
			assertThat(property.path("description").asString()).as(name + " description").endsWith(".");
		}
	}

	@Test
	void declaresEveryDefault() {
		Map<String, Object> defaults = defaults("acme", new AcmeChallengeProperties());
		for (Map.Entry<String, Object> entry : defaults.entrySet()) {
			JsonNode property = property(entry.getKey());
			assertThat(property).as(entry.getKey()).isNotNull();
			JsonNode declared = property.get("defaultValue");
			if (entry.getValue() == null) {
				assertThat(declared).as(entry.getKey() + " default").isNull();
			}
			else {
				assertThat(declared).as(entry.getKey() + " default").isNotNull();
				assertThat(parse(declared, entry.getValue().getClass())).as(entry.getKey() + " default")
					.isEqualTo(entry.getValue());
			}
		}
	}

	@Test
	void hintsEnumeratedValues() {
		assertThat(hintValues("acme.on-miss")).containsExactly("not-found", "pass-through");
		assertThat(hintValues("acme.store")).containsExactly("webroot", "memory", "jdbc", "redis");
	}

	@Test
	void hintsMatchEnumConstants() {
		assertThat(hintValues("acme.on-miss")).containsExactlyElementsOf(
				kebabConstants(AcmeChallengeProperties.MissPolicy.class));
		assertThat(hintValues("acme.store")).containsExactlyElementsOf(
				kebabConstants(AcmeChallengeProperties.StoreType.class));
	}

	@Test
	void describesHealthIndicatorSwitch() {
		JsonNode property = property("management.health.acme.enabled");
		assertThat(property).isNotNull();
		assertThat(property.path("defaultValue").asBoolean()).isTrue();
	}

	/**
	 * Collects the default value of every leaf property, found through the getters of the
	 * properties class and of its nested classes.
	 */
	private static Map<String, Object> defaults(String prefix, Object bean) {
		Map<String, Object> defaults = new LinkedHashMap<>();
		BeanWrapper wrapper = PropertyAccessorFactory.forBeanPropertyAccess(bean);
		for (PropertyDescriptor descriptor : wrapper.getPropertyDescriptors()) {
			if (descriptor.getName().equals("class")) {
				continue;
			}
			String name = prefix + "." + kebab(descriptor.getName());
			Object value = wrapper.getPropertyValue(descriptor.getName());
			if (descriptor.getPropertyType().getEnclosingClass() == AcmeChallengeProperties.class
					&& !descriptor.getPropertyType().isEnum()) {
				defaults.putAll(defaults(name, value));
			}
			else {
				defaults.put(name, value);
			}
		}
		return defaults;
	}

	private static Object parse(JsonNode declared, Class<?> type) {
		if (type == Boolean.class) {
			return declared.asBoolean();
		}
		if (type == DataSize.class) {
			return DataSize.parse(declared.asString());
		}
		if (type == Duration.class) {
			return DurationStyle.detectAndParse(declared.asString());
		}
		if (type.isEnum()) {
			for (Object constant : type.getEnumConstants()) {
				if (kebab((Enum<?>) constant).equals(declared.asString())) {
					return constant;
				}
			}
			return declared.asString();
		}
		return declared.asString();
	}

	private static JsonNode property(String name) {
		for (JsonNode property : metadata.path("properties")) {
			if (property.path("name").asString().equals(name)) {
				return property;
			}
		}
		return null;
	}

	private static List<String> hintValues(String name) {
		for (JsonNode hint : metadata.path("hints")) {
			if (hint.path("name").asString().equals(name)) {
				return hint.path("values").valueStream().map((value) -> value.path("value").asString()).toList();
			}
		}
		return List.of();
	}

	private static List<String> kebabConstants(Class<? extends Enum<?>> type) {
		return Arrays.stream(type.getEnumConstants()).map(ConfigurationMetadataTests::kebab).toList();
	}

	private static String kebab(Enum<?> constant) {
		return constant.name().toLowerCase(Locale.ROOT).replace('_', '-');
	}

	private static String kebab(String camelCase) {
		return camelCase.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
	}

}
