package dev.slipway.router;

import dev.slipway.router.log.RouterLog;
import dev.slipway.router.trace.RouterRequestEvent;
import dev.slipway.router.trace.UpstreamConnectEvent;
import dev.slipway.router.trace.UpstreamPoolWaitEvent;
import dev.slipway.zk.Route;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import jdk.jfr.Configuration;
import jdk.jfr.Recording;
import org.junit.jupiter.api.Test;

/**
 * Not a test (its name keeps it out of the suite; {@code bench/phases} runs it): one cold router,
 * alone in its JVM, on the data path {@code -DdataPath=netty|vertx}, in front of the origin
 * {@code -Dorigin=PORT}, under a JFR recording that starts just before it: JFR's {@code -Dsettings} ({@code default}, or
 * {@code profile} for execution samples every 10 ms),
 * every JIT compilation and safepoint, and the router's own events ({@code slipway.RouterRequest},
 * {@code slipway.UpstreamConnect}, {@code slipway.UpstreamPoolWait}). Router lines are formatted and
 * counted, not shipped, as in {@link PipeCeilingBench}. Writes its port to {@code -Dports=FILE},
 * runs until {@code FILE.stop} appears, then writes the recording to {@code -Drecording=FILE.jfr}.
 */
class PhasesBench {
    @Test
    void recordsAColdRouter() throws Exception {
        int origin = Integer.getInteger("origin");
        Path ports = Path.of(System.getProperty("ports"));
        Path stop = Path.of(ports + ".stop");
        Path destination = Path.of(System.getProperty("recording"));
        DataPath dataPath = DataPath.of(System.getProperty("dataPath", "netty"));
        Path data = Files.createTempDirectory("slipway-phases");
        LongAdder lines = new LongAdder();
        LongAdder characters = new LongAdder();
        // Each line formatted, as the log shipper formats every line it ships, and counted.
        RouterLog counted = (app, line) -> {
            lines.increment();
            characters.add(line.format().length());
        };
        try (RouterScenario scenario = new RouterScenario(data);
             Recording recording = new Recording(Configuration.getConfiguration(System.getProperty("settings", "default")))) {
            scenario.route("bench", List.of(), new Route.Endpoint("127.0.0.1", origin, "web.1", "task-web.1"));
            scenario.configure = config -> config.withDataPath(dataPath);
            recording.setName("slipway-phases");
            recording.enable(RouterRequestEvent.NAME);
            recording.enable(UpstreamConnectEvent.NAME);
            recording.enable(UpstreamPoolWaitEvent.NAME);
            recording.enable("jdk.Compilation").withThreshold(Duration.ZERO);
            recording.enable("jdk.SafepointBegin").withThreshold(Duration.ZERO);
            recording.enable("jdk.GCPhasePause").withThreshold(Duration.ZERO);
            recording.setDestination(destination);
            recording.start();
            int port = scenario.startRouter(counted).port();
            Files.writeString(ports, "router=" + port + "\n");
            while (!Files.exists(stop)) {
                Thread.sleep(200);
            }
            recording.stop();
            System.out.println("router lines formatted: " + lines.sum() + " (" + characters.sum() + " characters); recording in "
                    + destination);
        }
    }
}
