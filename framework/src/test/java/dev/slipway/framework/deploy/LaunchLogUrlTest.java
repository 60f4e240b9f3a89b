package dev.slipway.framework.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.framework.FrameworkConfig;
import dev.slipway.framework.mesos.Launch;
import dev.slipway.framework.mesos.MesosSettings;
import dev.slipway.framework.mesos.Offer;
import dev.slipway.framework.mesos.Resources;
import dev.slipway.framework.offer.Placement;
import dev.slipway.zk.Json;
import dev.slipway.zk.Release;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where a launched instance's executor ships its log lines: the framework's API, as agents reach it. */
class LaunchLogUrlTest {
    @TempDir
    Path dir;

    @Test
    void theExecutorShipsToTheAppsLogLinesOnTheAdvertisedApi() throws Exception {
        Path jar = Files.createFile(dir.resolve("slipway-executor.jar"));
        LaunchFactory factory = new LaunchFactory(new FrameworkConfig(new MesosSettings(
                URI.create("http://127.0.0.1:5050"), null, null, null, null, null, null), "0.0.0.0", 7070,
                URI.create("http://framework.internal:7070"), dir, jar, dir, null, 8080, null), dev.slipway.framework.TestConfigs.signer());
        Wanted wanted = new Wanted(new Slot("hello", "worker", 2), new Release(1, "a".repeat(64), 10,
                Map.of("worker", "./work"), "", Instant.EPOCH));
        Offer offer = new Offer("offer-1", "agent-1", "localhost", new Resources(4, 4096, List.of()));

        Launch launch = factory.launch("hello.worker.2.v1.abcd", wanted, new Placement(factory.demand(wanted), offer, 0),
                Instant.EPOCH, List.of());

        assertThat(Json.mapper().readTree(launch.data()).path("log_url").asText())
                .isEqualTo("http://framework.internal:7070/apps/hello/log-lines");
    }
}
