package dev.slipway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code slipway events} end to end, against all of Slipway in this JVM: while it runs, an app is
 * created and deployed (through the API, as another terminal would), and the command prints the
 * app's creation, its build and release, and its instance running under the real executor.
 */
class EventsEndToEndTest {
    @RegisterExtension
    static final SlipwayForTests slipway = new SlipwayForTests();
    @TempDir
    static Path work;

    @Test
    void eventsOfAnAppShowItsCreationBuildReleaseAndRunningInstanceAsTheyCome() throws Exception {
        String api = slipway.api();
        Cli.Running events = Cli.start(api, "events", "-a", "watched");
        Cli.Running json;
        Awaitility.await().atMost(30, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(50))
                .until(() -> events.err().contains("Waiting for events of watched"));

        // Another terminal: the events command holds the CLI of this JVM.
        ApiClient client = new ApiClient(api, slipway.adminToken());
        client.post("/apps", Map.of("name", "watched"));
        client.upload("/apps/watched/builds", SourceTarball.create(LogsEndToEndTest.chattyApp(work)), sent -> { });

        Awaitility.await().atMost(3, TimeUnit.MINUTES).pollInterval(Duration.ofMillis(200))
                .until(() -> events.out().contains("deployment.succeeded"));
        Cli.Result stopped = events.stop();
        String timestamp = "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?Z  watched  ";
        assertThat(stopped.out()).containsPattern(timestamp + "app\\.created  app watched created")
                .containsPattern(timestamp + "build\\.started  Build started \\(build [0-9a-f]{8}\\)")
                .containsPattern(timestamp + "build\\.succeeded  Build succeeded \\(build [0-9a-f]{8}\\): v1")
                .containsPattern(timestamp + "release\\.created  Release v1 created")
                .containsPattern(timestamp + "instance\\.state  web\\.1 \\(v1\\) .*RUNNING")
                .containsPattern(timestamp + "deployment\\.succeeded  v1 deployed: 1/1 web up");
        assertThat(stopped.out()).containsSubsequence("app.created", "build.started", "build.succeeded",
                "release.created", "instance.state", "RUNNING", "deployment.succeeded");

        json = Cli.start(api, "events", "--type", "app.created", "--json");
        Awaitility.await().atMost(30, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(50))
                .until(() -> json.err().contains("Waiting for events"));
        client.post("/apps", Map.of("name", "other"));
        Awaitility.await().atMost(30, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(50))
                .until(() -> json.out().contains("\"other\""));
        String line = json.stop().out().strip();
        assertThat(line.lines()).hasSize(1);
        assertThat(dev.slipway.zk.Json.mapper().readTree(line).path("type").asText()).isEqualTo("app.created");
        assertThat(dev.slipway.zk.Json.mapper().readTree(line).path("app").asText()).isEqualTo("other");
    }

    @Test
    void anUnknownTypeIsAPlainError() {
        Cli.Result bad = Cli.run(slipway.api(), "events", "--type", "build.exploded");

        assertThat(bad.exitCode()).isEqualTo(1);
        assertThat(bad.err()).startsWith("error: no event type 'build.exploded': the types are app.created");
    }
}
