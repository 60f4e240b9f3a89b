package dev.slipway.zk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.curator.framework.CuratorFramework;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The watch that keeps the scheduler's copy of the apps current, on a real ZooKeeper. */
class AppWatchTest {
    static final Instant NOW = Instant.parse("2026-12-07T12:00:00Z");
    @TempDir
    Path dir;
    EmbeddedZooKeeper server;
    CuratorFramework zk;
    AppStore apps;
    final List<String> told = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws Exception {
        server = EmbeddedZooKeeper.start(dir.resolve("zk"), 0);
        ZkCredentials credentials = ZkCredentials.random();
        zk = ZkClient.connect(server.connectString(), "/watch-" + UUID.randomUUID(), credentials.slipway(),
                credentials.acls(), 30);
        apps = new AppStore(zk);
    }

    @AfterEach
    void stop() {
        zk.close();
        server.close();
    }

    @Test
    void appsCreatedChangedAndDeletedAfterTheStartAreToldButNotTheirReleasesBuildsOrCrashes() throws Exception {
        apps.create(App.created("before", NOW));
        try (AppWatch watch = apps.watch(told::add, Duration.ofSeconds(10))) {
            Versioned<App> app = apps.create(App.created("alpha", NOW));
            await().atMost(Duration.ofSeconds(10)).until(() -> told.contains("alpha"));
            told.clear();

            apps.crashes().put("alpha", new CrashBackoff("web", 1, 1, 1, NOW, null, "exited with code 1"));
            apps.update(app.value().scaled("web", 2), app.version());
            await().atMost(Duration.ofSeconds(10)).until(() -> !told.isEmpty());
            zk.delete().deletingChildrenIfNeeded().forPath(ZkPaths.app("alpha"));
            await().atMost(Duration.ofSeconds(10)).until(() -> told.size() >= 2);

            assertThat(told).containsOnly("alpha");
            assertThat(told).as("the crash record is not an app change").hasSize(2);
        }
    }
}
