package dev.slipway.slug;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The {@code healthchecks} of an app's {@code app.json} (the manifest Heroku and Dokku read),
 * checked at build time so that a mistake fails the build, with its cause, instead of every
 * instance of the release:
 * <pre>{"healthchecks": {"web": {"type": "http", "path": "/health", "interval_seconds": 5}}}</pre>
 * Each entry is handed unchanged to the executor, which applies the defaults (see
 * docs/health-checks.md). Other keys of {@code app.json} are not read.
 */
final class AppJson {
    static final String FILE_NAME = "app.json";
    private static final Set<String> TYPES = Set.of("http", "tcp", "command", "none");
    private static final Set<String> NUMBERS = Set.of("boot_timeout_seconds", "grace_period_seconds",
            "interval_seconds", "timeout_seconds", "max_consecutive_failures");
    /** A check's type, path or command, at most: it is stored with each release. */
    static final int MAX_TEXT_LENGTH = 4096;
    private static final ObjectMapper JSON = new ObjectMapper();

    private AppJson() {
    }

    /**
     * The health checks per process type, validated against the release's process types.
     *
     * @throws BuildFailed naming the file, the entry and what is wrong
     */
    static Map<String, Map<String, Object>> healthChecks(Path build, Set<String> processTypes) {
        Path file = build.resolve(FILE_NAME);
        if (!Files.isRegularFile(file)) {
            return Map.of();
        }
        JsonNode root;
        try {
            root = JSON.readTree(Files.readString(file));
        } catch (JsonProcessingException e) {
            throw new BuildFailed(FILE_NAME + " is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        JsonNode checks = root == null ? null : root.get("healthchecks");
        if (checks == null || checks.isNull()) {
            return Map.of();
        }
        if (!checks.isObject()) {
            throw new BuildFailed(FILE_NAME + ": healthchecks must be an object of process types");
        }
        Map<String, Map<String, Object>> result = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = checks.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            String type = entry.getKey();
            if (!processTypes.contains(type)) {
                throw new BuildFailed(FILE_NAME + ": healthchecks." + type + " names no process type of this app"
                        + " (it has " + String.join(", ", processTypes) + ")");
            }
            result.put(type, check("healthchecks." + type, entry.getValue(), type.equals("web")));
        }
        return result;
    }

    private static Map<String, Object> check(String where, JsonNode node, boolean hasPort) {
        if (!node.isObject()) {
            throw new BuildFailed(FILE_NAME + ": " + where + " must be an object");
        }
        Map<String, Object> check = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            String name = field.getKey();
            JsonNode value = field.getValue();
            String at = FILE_NAME + ": " + where + "." + name;
            if (NUMBERS.contains(name)) {
                if (!value.canConvertToInt() || !value.isIntegralNumber() || value.asInt() < 1) {
                    throw new BuildFailed(at + " must be a positive whole number, not " + value);
                }
                check.put(name, value.asInt());
            } else if (name.equals("type") || name.equals("path") || name.equals("command")) {
                if (!value.isTextual()) {
                    throw new BuildFailed(at + " must be a string, not " + value);
                }
                if (value.asText().length() > MAX_TEXT_LENGTH) {
                    throw new BuildFailed(at + " is longer than " + MAX_TEXT_LENGTH + " characters");
                }
                check.put(name, value.asText());
            } else {
                throw new BuildFailed(at + " is not a health check setting (type, path, command, "
                        + String.join(", ", NUMBERS.stream().sorted().toList()) + ")");
            }
        }
        String type = (String) check.get("type");
        if (type == null || !TYPES.contains(type)) {
            throw new BuildFailed(FILE_NAME + ": " + where + ".type must be http, tcp, command or none");
        }
        if ((type.equals("http") || type.equals("tcp")) && !hasPort) {
            throw new BuildFailed(FILE_NAME + ": " + where + " is a " + type + " check, but only web instances have a"
                    + " port: use a command check");
        }
        Object path = check.get("path");
        if (path != null && !((String) path).matches("/[\\x21-\\x7e&&[^#]]*")) {
            throw new BuildFailed(FILE_NAME + ": " + where + ".path must start with / and hold no spaces or #");
        }
        if (type.equals("command") && (check.get("command") == null || ((String) check.get("command")).isBlank())) {
            throw new BuildFailed(FILE_NAME + ": " + where + " is a command check without a command");
        }
        return check;
    }
}
