package dev.slipway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.slipway.zk.Json;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code slipway run} as a user types it, against all of Slipway in this JVM: a one-off dyno runs
 * the app's release with its config, its output reaches the terminal to the last line, and the CLI
 * exits with the command's exit code; detached, it is listed by {@code ps}; bad input is refused.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RunEndToEndTest {
    static final Path EXAMPLE = Path.of("../examples/procfile-hello").toAbsolutePath().normalize();
    @RegisterExtension
    static final SlipwayForTests slipway = new SlipwayForTests();
    static String api;

    @BeforeAll
    static void givenADeployedAppWithAConfigVar() {
        api = slipway.api();
        Cli.ok(api, "apps:create", "hello");
        Cli.ok(api, "config:set", "FOO=from-the-config", "-a", "hello");
        Cli.ok(api, "deploy", EXAMPLE.toString(), "-a", "hello");
    }

    @Test
    @Order(1)
    void runPrintsTheCommandsOutputAndExitsWithItsExitCode() {
        Cli.Result run = Cli.run(api, "run", "-a", "hello", "--",
                "echo hello; for i in $(seq 1 50); do echo line $i; done; echo to stderr >&2; exit 3");

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(3);
        assertThat(run.out().lines()).contains("hello", "line 1", "line 50", "to stderr");
        assertThat(run.err()).containsPattern("Running `echo hello.*` on hello\\.\\.\\. run\\.\\d+");
    }

    @Test
    @Order(2)
    void theOneOffSeesTheAppsConfigAndSlipwaysEnvironment() {
        Cli.Result run = Cli.run(api, "run", "-a", "hello", "--", "printenv", "FOO;", "echo", "dyno=$DYNO");

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out()).contains("from-the-config\n").containsPattern("dyno=run\\.\\d+\n");

        Cli.Result overridden = Cli.run(api, "run", "-a", "hello", "-e", "FOO=given", "--", "printenv FOO");
        assertThat(overridden.exitCode()).as(overridden.toString()).isZero();
        // The platform logs to this JVM's stdout too: the one-off's lines are among them.
        assertThat(overridden.out().lines()).contains("given").doesNotContain("from-the-config");
    }

    @Test
    @Order(3)
    void aCommandNotFoundExits127WithTheShellsMessage() {
        Cli.Result run = Cli.run(api, "run", "-a", "hello", "--", "no-such-command-here");

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(127);
        assertThat(run.out()).contains("no-such-command-here").contains("not found");
    }

    @Test
    @Order(4)
    void detachedItPrintsTheDynosNameWhichPsLists() {
        Cli.Result run = Cli.run(api, "run", "--detach", "-a", "hello", "--", "sleep 30");

        assertThat(run.exitCode()).as(run.toString()).isZero();
        String name = run.out().strip();
        assertThat(name).matches("run\\.\\d+");
        Awaitility.await().atMost(60, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(250))
                .until(() -> Cli.ok(api, "ps", "-a", "hello").contains(name));
        Awaitility.await().atMost(60, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(250)).until(() -> {
            for (JsonNode dyno : Json.mapper().readTree(Cli.ok(api, "ps", "--json", "-a", "hello"))) {
                if (dyno.path("name").asText().equals(name)) {
                    return dyno.path("type").asText().equals("run") && dyno.path("state").asText().equals("up");
                }
            }
            return false;
        });
        // The formation is untouched: its web instance keeps running beside the one-off.
        assertThat(Cli.ok(api, "ps", "-a", "hello")).contains("web.1");
    }

    @Test
    @Order(5)
    void aTimeoutStopsTheCommandAndSaysSo() {
        // The time to live counts from the request: long enough for a launch on a busy machine.
        Cli.Result run = Cli.run(api, "run", "--timeout", "8", "-a", "hello", "--", "echo started; sleep 120");

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(RunCommand.TIMED_OUT);
        assertThat(run.out()).contains("started");
        assertThat(run.err()).contains("timed out: stopped after 8 s");
    }

    @Test
    @Order(6)
    void badInputIsRefusedWithAClearMessage() {
        Cli.Result unknown = Cli.run(api, "run", "-a", "nosuchapp", "--", "echo hi");
        assertThat(unknown.exitCode()).isEqualTo(1);
        assertThat(unknown.err()).contains("error:").contains("nosuchapp");

        Cli.Result noCommand = Cli.run(api, "run", "-a", "hello");
        assertThat(noCommand.exitCode()).isEqualTo(2);
        assertThat(noCommand.err()).contains("no command given");

        Cli.ok(api, "apps:create", "empty");
        Cli.Result noRelease = Cli.run(api, "run", "-a", "empty", "--", "echo hi");
        assertThat(noRelease.exitCode()).isEqualTo(1);
        assertThat(noRelease.err()).contains("has no release yet");
    }
}
