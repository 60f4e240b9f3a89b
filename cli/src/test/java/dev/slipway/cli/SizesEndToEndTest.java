package dev.slipway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.nio.file.Files;
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
import org.junit.jupiter.api.io.TempDir;

/**
 * Sizes as a user meets them: {@code ps:resize} shows and sets a process type's size by name or as
 * cpus and memory, refuses bad ones, and the running instance is replaced by one of the new size.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SizesEndToEndTest {
    @RegisterExtension
    static final SlipwayForTests slipway = new SlipwayForTests();
    @TempDir
    static Path work;
    static String api;

    @BeforeAll
    static void givenAnApp() {
        api = slipway.api();
        ok("apps:create", "sized");
    }

    @Test
    @Order(1)
    void sizesAreShownAndSetByNameOrAsCpusAndMemory() {
        ok("ps:scale", "web=1", "-a", "sized");
        assertThat(ok("ps:resize", "-a", "sized")).contains("web: small: 0.1 cpus, 256 MB");

        assertThat(ok("ps:resize", "web=large", "-a", "sized"))
                .contains("Resizing sized web to large: 0.5 cpus, 1024 MB... done");
        assertThat(ok("ps:resize", "worker", "--cpus", "0.3", "--memory", "300", "-a", "sized"))
                .contains("Resizing sized worker to 0.3 cpus, 300 MB... done");
        assertThat(ok("ps:resize", "-a", "sized")).contains("web: large: 0.5 cpus, 1024 MB")
                .contains("worker: 0.3 cpus, 300 MB");
        assertThat(ok("ps", "-a", "sized")).contains("=== web (large: 0.5 cpus, 1024 MB): 1");
    }

    @Test
    @Order(2)
    void badSizesAndFormationsAreRefusedNamingWhyAndNothingChanges() {
        Cli.Result unknown = Cli.run(api, "ps:resize", "web=huge", "-a", "sized");
        Cli.Result zero = Cli.run(api, "ps:resize", "web", "--cpus", "0", "-a", "sized");
        Cli.Result noType = Cli.run(api, "ps:resize", "--memory", "512", "-a", "sized");
        Cli.Result tooMany = Cli.run(api, "ps:scale", "web=101", "-a", "sized");
        Cli.Result farTooMany = Cli.run(api, "ps:scale", "web=100000", "-a", "sized");
        // mesos-local's one agent has offered what this machine has: far less than 4096 cpus.
        Awaitility.await().atMost(30, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(250))
                .until(() -> Cli.run(api, "ps:resize", "web", "--cpus", "1000", "-a", "sized"),
                        r -> r.exitCode() == 1 && r.err().contains("fits no agent"));
        Cli.Result huge = Cli.run(api, "ps:resize", "web", "--cpus", "1000", "-a", "sized");

        assertThat(unknown.exitCode()).isEqualTo(1);
        assertThat(unknown.err()).contains("unknown size 'huge': the sizes are small, medium, large, xlarge, 2xlarge");
        assertThat(zero.exitCode()).isEqualTo(1);
        assertThat(zero.err()).contains("cpus must be from 0.01 to 1024, not 0");
        assertThat(noType.exitCode()).isEqualTo(1);
        assertThat(noType.err()).contains("name the process type");
        assertThat(tooMany.exitCode()).isEqualTo(1);
        assertThat(tooMany.err()).contains("quantity must be a whole number from 0 to 100");
        assertThat(farTooMany.exitCode()).isEqualTo(1);
        assertThat(farTooMany.err()).contains("quantity must be a whole number from 0 to 100");
        assertThat(huge.err()).contains("no agent offers 1000.05 cpus: the most any of the 1 agents seen has offered");
        assertThat(ok("ps:resize", "-a", "sized")).contains("web: large: 0.5 cpus, 1024 MB");
    }

    @Test
    @Order(3)
    void aResizedProcessTypesInstanceIsReplacedByOneOfTheNewSize() throws Exception {
        ok("apps:create", "growing");
        ok("deploy", worker().toString(), "-a", "growing", "--wait", "0");
        ok("ps:scale", "worker=1", "-a", "growing");
        String first = awaitWorkerTask(null);
        Awaitility.await().atMost(30, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(250))
                .until(() -> ok("logs", "-a", "growing"), out -> out.contains("memory available: 256"));

        ok("ps:resize", "worker=medium", "-a", "growing");

        String second = awaitWorkerTask(first);
        assertThat(second).isNotEqualTo(first);
        Awaitility.await().atMost(30, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(250))
                .until(() -> ok("logs", "-a", "growing"), out -> out.contains("memory available: 512"));
        Awaitility.await().atMost(60, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(250))
                .until(() -> ok("ps", "-a", "growing"), ps -> !ps.contains(first));
        assertThat(ok("ps", "-a", "growing")).contains("=== worker (medium: 0.25 cpus, 512 MB): 1");
        ok("ps:scale", "worker=0", "-a", "growing");
    }

    /** The task id of the running worker.1, once it is another than {@code not}. */
    private static String awaitWorkerTask(String not) {
        String[] task = new String[1];
        Awaitility.await().atMost(90, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(250))
                .until(() -> TestHttp.list(URI.create(api + "/apps/growing/dynos")), dynos -> {
                    for (JsonNode d : dynos) {
                        if (d.path("name").asText().equals("worker.1") && d.path("state").asText().equals("up")
                                && !d.path("task_id").asText().equals(not)) {
                            task[0] = d.path("task_id").asText();
                            return true;
                        }
                    }
                    return false;
                });
        return task[0];
    }

    private static String ok(String... args) {
        return Cli.ok(api, args);
    }

    private static Path worker() throws Exception {
        Path app = Files.createDirectories(work.resolve("growing"));
        Files.writeString(app.resolve("Procfile"),
                "worker: echo \"memory available: $MEMORY_AVAILABLE\"; while true; do sleep 1; done\n");
        return app;
    }
}
