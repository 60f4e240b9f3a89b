package dev.slipway.slug;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What a buildpack's {@code bin/release} says, from its YAML:
 * <pre>
 * ---
 * config_vars:
 *   JAVA_OPTS: -Xmx300m
 * default_process_types:
 *   web: java -jar app.jar
 * </pre>
 * Both keys are optional, other keys are ignored, and empty output is an empty release.
 */
record BuildpackRelease(Map<String, String> defaultProcessTypes, Map<String, String> configVars) {
    private static final YAMLMapper YAML = new YAMLMapper();

    BuildpackRelease {
        defaultProcessTypes = Collections.unmodifiableMap(new LinkedHashMap<>(defaultProcessTypes));
        configVars = Collections.unmodifiableMap(new LinkedHashMap<>(configVars));
    }

    /**
     * @throws BuildFailed naming the buildpack if the YAML is malformed or not of that shape
     */
    static BuildpackRelease parse(String yaml, String buildpack) {
        JsonNode root;
        try {
            root = yaml.isBlank() ? null : YAML.readTree(yaml);
        } catch (JacksonException e) {
            throw new BuildFailed("buildpack " + buildpack + ": bin/release printed malformed YAML: "
                    + e.getOriginalMessage(), e);
        }
        if (root == null || root.isMissingNode() || root.isNull()) {
            return new BuildpackRelease(Map.of(), Map.of());
        }
        if (!root.isObject()) {
            throw malformed(buildpack, "it is not a mapping");
        }
        return new BuildpackRelease(strings(root, "default_process_types", buildpack),
                strings(root, "config_vars", buildpack));
    }

    private static Map<String, String> strings(JsonNode root, String key, String buildpack) {
        JsonNode node = root.get(key);
        if (node == null || node.isNull()) {
            return Map.of();
        }
        if (!node.isObject()) {
            throw malformed(buildpack, key + " is not a mapping");
        }
        Map<String, String> values = new LinkedHashMap<>();
        node.fields().forEachRemaining(field -> {
            JsonNode value = field.getValue();
            if (!value.isValueNode() || value.isNull()) {
                throw malformed(buildpack, key + "." + field.getKey() + " is not a string");
            }
            values.put(field.getKey(), value.asText());
        });
        return values;
    }

    private static BuildFailed malformed(String buildpack, String why) {
        return new BuildFailed("buildpack " + Objects.requireNonNull(buildpack) + ": bin/release printed malformed YAML: "
                + why);
    }
}
