package dev.slipway.executor.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TaskSpecTest {
    /** The example of docs/internals.md, plus a field a newer framework might add. */
    private static final String INTERNALS_EXAMPLE = """
            {
              "app": "hello", "process": "web", "index": 1, "release": 3,
              "command": "java Server.java",
              "env": {"PORT": "31000", "DYNO": "web.1", "DATABASE_URL": "postgres://u:hunter2@db/x"},
              "port": 31000,
              "health": {"type": "tcp", "boot_timeout_seconds": 60},
              "kill_grace_seconds": 10,
              "added_later": {"anything": true}
            }
            """;

    @Test
    void parsesTheTaskSpecOfInternalsMd() throws Exception {
        TaskSpec spec = TaskSpec.parse(bytes(INTERNALS_EXAMPLE));

        assertThat(spec.app()).isEqualTo("hello");
        assertThat(spec.process()).isEqualTo("web");
        assertThat(spec.index()).isEqualTo(1);
        assertThat(spec.release()).isEqualTo(3);
        assertThat(spec.command()).isEqualTo("java Server.java");
        assertThat(spec.env()).containsEntry("PORT", "31000").containsEntry("DYNO", "web.1");
        assertThat(spec.port()).isEqualTo(31000);
        assertThat(spec.health()).isEqualTo(HealthSpec.tcp(60));
        assertThat(spec.health().bootTimeout()).isEqualTo(Duration.ofSeconds(60));
        assertThat(spec.killGrace()).isEqualTo(Duration.ofSeconds(10));
        assertThat(spec.dyno()).isEqualTo("web.1");
    }

    @Test
    void roundTripsThroughItsJson() throws Exception {
        TaskSpec spec = TaskSpec.parse(bytes(INTERNALS_EXAMPLE));

        assertThat(new String(spec.toJson(), StandardCharsets.UTF_8)).contains("\"kill_grace_seconds\":10",
                "\"boot_timeout_seconds\":60", "\"type\":\"tcp\"");
        assertThat(TaskSpec.parse(spec.toJson())).isEqualTo(spec);
    }

    @Test
    void appliesDefaultsToWhatAnOlderFrameworkLeavesOut() throws Exception {
        TaskSpec spec = TaskSpec.parse(bytes("""
                {"app": "hello", "process": "worker", "index": 2, "release": 1, "command": "bin/work"}
                """));

        assertThat(spec.env()).isEmpty();
        assertThat(spec.port()).isZero();
        assertThat(spec.health()).isEqualTo(HealthSpec.none());
        assertThat(spec.killGraceSeconds()).isEqualTo(TaskSpec.DEFAULT_KILL_GRACE_SECONDS);
        assertThat(spec.image()).as("no image: a plain process").isNull();
        assertThat(spec.memMb()).as("no memory limit").isZero();
        assertThat(spec.cpus()).as("no CPU limit").isZero();
        assertThat(TaskSpec.parse(bytes("""
                {"app": "a", "process": "web", "index": 1, "release": 1, "command": "x", "port": 5000,
                 "health": {"type": "tcp"}}
                """)).health().bootTimeoutSeconds()).isEqualTo(60);
    }

    @Test
    void parsesWhereAndWithWhatLimitsTheInstanceRuns() throws Exception {
        TaskSpec spec = TaskSpec.parse(bytes("""
                {"app": "hello", "process": "web", "index": 1, "release": 3, "command": "x",
                 "image": "slipway/stack:476aac449ae3", "mem_mb": 512, "cpus": 0.5}
                """));

        assertThat(spec.image()).isEqualTo("slipway/stack:476aac449ae3");
        assertThat(spec.memMb()).isEqualTo(512);
        assertThat(spec.cpus()).isEqualTo(0.5);
        assertThat(new String(spec.toJson(), StandardCharsets.UTF_8)).contains(
                "\"image\":\"slipway/stack:476aac449ae3\"", "\"mem_mb\":512", "\"cpus\":0.5");
        assertThat(TaskSpec.parse(spec.toJson())).isEqualTo(spec);
        assertThat(spec.toString()).contains("image=slipway/stack:476aac449ae3", "mem_mb=512", "cpus=0.5");
    }

    @Test
    void parsesWhereTheInstancesLogLinesAreShippedIfAnywhere() throws Exception {
        TaskSpec spec = TaskSpec.parse(bytes("""
                {"app": "hello", "process": "web", "index": 1, "release": 3, "command": "x",
                 "log_url": "http://127.0.0.1:7070/apps/hello/log-lines"}
                """));

        assertThat(spec.logUrl()).isEqualTo("http://127.0.0.1:7070/apps/hello/log-lines");
        assertThat(TaskSpec.parse(spec.toJson())).isEqualTo(spec);
        assertThat(spec.toString()).contains("log_url=http://127.0.0.1:7070/apps/hello/log-lines");
        assertThat(TaskSpec.parse(bytes(INTERNALS_EXAMPLE)).logUrl()).as("absent: not shipped").isNull();
        assertInvalid("""
                {"app": "hello", "process": "web", "index": 1, "release": 3, "command": "x", "log_url": "/apps/x"}
                """, "log_url must be an absolute http(s) URL");
        assertInvalid("""
                {"app": "hello", "process": "web", "index": 1, "release": 3, "command": "x", "log_url": "a b"}
                """, "log_url is not a URL");
    }

    @Test
    void saysWhatIsWrongWithAnInvalidSpec() {
        assertInvalid("""
                {"app": "hello", "process": "web", "index": 1, "release": 3, "command": " "}
                """, "command must not be blank");
        assertInvalid("""
                {"app": "hello", "process": "web", "index": 1, "release": 3, "command": "x",
                 "health": {"type": "tcp", "boot_timeout_seconds": 60}}
                """, "a tcp health check needs a port");
        assertInvalid("""
                {"app": "hello", "process": "web", "index": 1, "release": 3, "command": "x", "port": 70000}
                """, "port 70000 is not 0..65535");
        assertInvalid("""
                {"app": "hello", "process": "web", "index": 1, "release": 3, "command": "x", "port": 5000,
                 "health": {"type": "grpc", "boot_timeout_seconds": 60}}
                """, "health.type 'grpc' is not http, tcp, command or none");
        assertInvalid("""
                {"app": "hello", "process": "web", "index": 1, "release": 3, "command": "x", "port": 5000,
                 "health": {"type": "tcp", "boot_timeout_seconds": 0}}
                """, "boot_timeout_seconds must be positive");
        assertInvalid("""
                {"app": "hello", "process": "web", "index": 1, "release": 3, "command": "x",
                 "kill_grace_seconds": -1}
                """, "kill_grace_seconds must not be negative");
        assertInvalid("""
                {"process": "web", "index": 1, "release": 3, "command": "x"}
                """, "app must not be blank");
        assertInvalid("""
                {"app": "hello", "process": "web", "index": 1, "release": 3, "command": "x", "image": " "}
                """, "image must not be blank when given");
        assertInvalid("""
                {"app": "hello", "process": "web", "index": 1, "release": 3, "command": "x", "mem_mb": -1}
                """, "mem_mb must not be negative");
        assertInvalid("""
                {"app": "hello", "process": "web", "index": 1, "release": 3, "command": "x", "cpus": -0.5}
                """, "cpus must be a non-negative number");
        assertInvalid("not json at all", "TaskInfo.data is not a TaskSpec");
        assertInvalid("", "TaskInfo.data is not a TaskSpec");
    }

    @Test
    void parsesEveryFieldOfAHealthCheck() throws Exception {
        TaskSpec spec = TaskSpec.parse(bytes("""
                {"app": "hello", "process": "web", "index": 1, "release": 3, "command": "x", "port": 5000,
                 "health": {"type": "http", "path": "/health?deep=1", "boot_timeout_seconds": 90,
                            "grace_period_seconds": 120, "interval_seconds": 15, "timeout_seconds": 2,
                            "max_consecutive_failures": 5}}
                """));

        assertThat(spec.health()).isEqualTo(new HealthSpec(HealthSpec.Type.HTTP, "/health?deep=1", null, 90, 120, 15,
                2, 5));
        assertThat(spec.health().interval()).isEqualTo(Duration.ofSeconds(15));
        assertThat(spec.health().timeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(spec.health().gracePeriod()).isEqualTo(Duration.ofSeconds(120));
        assertThat(new String(spec.toJson(), StandardCharsets.UTF_8)).contains("\"type\":\"http\"",
                "\"path\":\"/health?deep=1\"", "\"grace_period_seconds\":120", "\"interval_seconds\":15",
                "\"timeout_seconds\":2", "\"max_consecutive_failures\":5");
        assertThat(TaskSpec.parse(spec.toJson())).isEqualTo(spec);

        HealthSpec command = TaskSpec.parse(bytes("""
                {"app": "hello", "process": "worker", "index": 1, "release": 3, "command": "x",
                 "health": {"type": "command", "command": "bin/healthy --quick"}}
                """)).health();
        assertThat(command.type()).isEqualTo(HealthSpec.Type.COMMAND);
        assertThat(command.command()).isEqualTo("bin/healthy --quick");
    }

    @Test
    void givesAHealthCheckMarathonsDefaults() throws Exception {
        HealthSpec http = TaskSpec.parse(bytes("""
                {"app": "a", "process": "web", "index": 1, "release": 1, "command": "x", "port": 5000,
                 "health": {"type": "http"}}
                """)).health();

        assertThat(http).isEqualTo(new HealthSpec(HealthSpec.Type.HTTP, "/", null, 60, 300, 10, 5, 3));
        assertThat(TaskSpec.parse(bytes("""
                {"app": "a", "process": "web", "index": 1, "release": 1, "command": "x", "port": 5000,
                 "health": {}}
                """)).health()).as("no type: no check, as before").isEqualTo(HealthSpec.none());
    }

    @Test
    void saysWhatIsWrongWithAHealthCheckNamingTheField() {
        String web = """
                {"app": "hello", "process": "web", "index": 1, "release": 3, "command": "x", "port": 5000,
                 "health": %s}
                """;
        assertInvalid(web.formatted("{\"type\": \"http\", \"path\": \"health\"}"),
                "health.path must start with /");
        assertInvalid(web.formatted("{\"type\": \"http\", \"path\": \"/a b\"}"),
                "health.path must start with / and hold only visible ASCII characters");
        assertInvalid(web.formatted("{\"type\": \"http\", \"path\": \"/a\\r\\nX-Evil: 1\"}"),
                "health.path must start with / and hold only visible ASCII characters");
        assertInvalid(web.formatted("{\"type\": \"command\"}"),
                "health.command must not be blank for a command health check");
        assertInvalid(web.formatted("{\"type\": \"command\", \"command\": \" \"}"),
                "health.command must not be blank");
        for (String field : List.of("boot_timeout_seconds", "grace_period_seconds", "interval_seconds",
                "timeout_seconds", "max_consecutive_failures")) {
            assertInvalid(web.formatted("{\"type\": \"tcp\", \"" + field + "\": 0}"),
                    "health." + field + " must be positive, not 0");
            assertInvalid(web.formatted("{\"type\": \"tcp\", \"" + field + "\": -5}"),
                    "health." + field + " must be positive, not -5");
        }
        String worker = """
                {"app": "hello", "process": "worker", "index": 1, "release": 3, "command": "x",
                 "health": %s}
                """;
        assertInvalid(worker.formatted("{\"type\": \"http\"}"), "an http health check needs a port");
        assertInvalid(worker.formatted("{\"type\": \"tcp\"}"), "a tcp health check needs a port");
    }

    @Test
    void aCommandOrNoCheckNeedsNoPort() throws Exception {
        assertThat(TaskSpec.parse(bytes("""
                {"app": "hello", "process": "worker", "index": 1, "release": 3, "command": "x",
                 "health": {"type": "command", "command": "true"}}
                """)).port()).isZero();
    }

    @Test
    void neverShowsEnvValuesInItsTextOrErrors() throws Exception {
        TaskSpec spec = TaskSpec.parse(bytes(INTERNALS_EXAMPLE));

        assertThat(spec.toString()).contains("DATABASE_URL").doesNotContain("hunter2");
        assertThatThrownBy(() -> TaskSpec.parse(bytes("""
                {"app": "hello", "process": "web", "index": 1, "release": 3, "command": "x",
                 "env": {"DATABASE_URL": ["postgres://u:hunter2@db/x"]}}
                """))).isInstanceOf(InvalidTaskSpecException.class)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("hunter2"));
    }

    @Test
    void copiesItsEnvironment() {
        Map<String, String> env = new java.util.HashMap<>(Map.of("A", "1"));
        TaskSpec spec = new TaskSpec("a", "worker", 1, 1, "x", env, 0, HealthSpec.none(), 1, null, 0, 0, null, 0, null, null);
        env.put("B", "2");

        assertThat(spec.env()).containsOnlyKeys("A");
        assertThatThrownBy(() -> spec.env().put("C", "3")).isInstanceOf(UnsupportedOperationException.class);
    }

    private static void assertInvalid(String json, String message) {
        assertThatThrownBy(() -> TaskSpec.parse(bytes(json)), json)
                .isInstanceOf(InvalidTaskSpecException.class)
                .hasMessageContaining(message);
    }

    private static byte[] bytes(String json) {
        return json.getBytes(StandardCharsets.UTF_8);
    }
}
