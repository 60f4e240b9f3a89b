package dev.slipway.router;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** A test with a {@link RouterScenario} of its own for each test method (ZooKeeper started, router not yet). */
abstract class WithRouterScenario {
    @TempDir
    Path zooKeeperData;

    RouterScenario scenario;

    @BeforeEach
    void startZooKeeper() {
        scenario = new RouterScenario(zooKeeperData);
    }

    @AfterEach
    void stopEverything() {
        scenario.close();
    }
}
