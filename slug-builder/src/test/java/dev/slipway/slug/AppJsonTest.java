package dev.slipway.slug;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AppJsonTest {
    private static final Set<String> TYPES = Set.of("web", "worker");

    @TempDir
    Path app;

    private Map<String, Map<String, Object>> read(String json) throws Exception {
        Files.writeString(app.resolve("app.json"), json);
        return AppJson.healthChecks(app, TYPES);
    }

    @Test
    void anAppWithoutAppJsonOrWithoutHealthchecksHasNone() throws Exception {
        assertThat(AppJson.healthChecks(app, TYPES)).isEmpty();
        assertThat(read("{\"name\": \"hello\", \"env\": {}}")).isEmpty();
    }

    @Test
    void readsEachProcessTypesCheckAsTheExecutorTakesIt() throws Exception {
        Map<String, Map<String, Object>> checks = read("""
                {"healthchecks": {
                  "web": {"type": "http", "path": "/health", "interval_seconds": 5, "max_consecutive_failures": 2},
                  "worker": {"type": "command", "command": "test -f /tmp/alive"}}}
                """);

        assertThat(checks.get("web")).containsExactly(Map.entry("type", "http"), Map.entry("path", "/health"),
                Map.entry("interval_seconds", 5), Map.entry("max_consecutive_failures", 2));
        assertThat(checks.get("worker")).containsEntry("command", "test -f /tmp/alive");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"healthchecks\": {\"web\": {\"type\": \"ping\"}}}"
                    + "| app.json: healthchecks.web.type must be http, tcp, command or none",
            "{\"healthchecks\": {\"web\": {\"type\": \"http\", \"interval_seconds\": 0}}}"
                    + "| app.json: healthchecks.web.interval_seconds must be a positive whole number, not 0",
            "{\"healthchecks\": {\"web\": {\"type\": \"http\", \"path\": \"health\"}}}"
                    + "| app.json: healthchecks.web.path must start with / and hold no spaces or #",
            "{\"healthchecks\": {\"worker\": {\"type\": \"http\"}}}"
                    + "| app.json: healthchecks.worker is a http check, but only web instances have a port: use a"
                    + " command check",
            "{\"healthchecks\": {\"worker\": {\"type\": \"command\"}}}"
                    + "| app.json: healthchecks.worker is a command check without a command",
            "{\"healthchecks\": {\"clock\": {\"type\": \"none\"}}}"
                    + "| app.json: healthchecks.clock names no process type of this app (it has ",
            "{\"healthchecks\": {\"web\": {\"type\": \"tcp\", \"retries\": 3}}}"
                    + "| app.json: healthchecks.web.retries is not a health check setting",
            "{\"healthchecks\": [1]}| app.json: healthchecks must be an object of process types",
            "{\"healthchecks\": | app.json is not valid JSON: ",
    })
    void failsTheBuildNamingTheMistake(String json, String message) {
        assertThatThrownBy(() -> read(json)).isInstanceOf(BuildFailed.class).hasMessageStartingWith(message.strip());
    }

    @Test
    void aPathOrCommandOverFourKilobytesFailsTheBuild() {
        String path = "/" + "p".repeat(4096);

        assertThatThrownBy(() -> read("{\"healthchecks\": {\"web\": {\"type\": \"http\", \"path\": \"" + path + "\"}}}"))
                .isInstanceOf(BuildFailed.class)
                .hasMessage("app.json: healthchecks.web.path is longer than 4096 characters");
    }
}
