package dev.slipway.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.slipway.zk.EmbeddedZooKeeper;
import dev.slipway.zk.ZkCredentials;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What `up` does with the router an earlier `up` left running: take it back, or replace it. */
class RouterChildTest {
    @TempDir
    Path dir;
    EmbeddedZooKeeper zooKeeper;
    Process left;
    final List<String> said = new CopyOnWriteArrayList<>();
    final List<String> output = new CopyOnWriteArrayList<>();

    @BeforeEach
    void startZooKeeperAndALeftRouter() throws Exception {
        zooKeeper = EmbeddedZooKeeper.start(dir.resolve("zookeeper"), 0);
        ZkCredentials.loadOrCreate(dir.resolve(LocalSlipway.ZK_CREDENTIALS));
        Path pidFile = dir.resolve("router").resolve("router.pid");
        // As an earlier `up`, killed since, left it.
        left = new ProcessBuilder(RouterChild.command(pidFile, settings("localhost")))
                .redirectErrorStream(true).redirectOutput(dir.resolve("left.log").toFile()).start();
        Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                .until(() -> RouterPidFile.read(pidFile).filter(file -> file.pid() == left.pid()).isPresent());
    }

    @AfterEach
    void stop() {
        left.destroyForcibly();
        zooKeeper.close();
    }

    @Test
    void aRouterLeftRunningAsWantedIsTakenBackOnItsPortAndStoppedWithUp() throws Exception {
        int port = RouterPidFile.read(dir.resolve("router").resolve("router.pid")).orElseThrow().port();
        try (RouterChild router = RouterChild.startOrAdopt(dir.resolve("router"), settings("localhost"), said::add,
                output::add)) {
            assertThat(router.pid()).isEqualTo(left.pid());
            assertThat(router.port()).isEqualTo(port);
            assertThat(said).anyMatch(line -> line.contains("(pid " + left.pid() + ") left running by an earlier "
                    + "`slipway up`: taken back"));
        }
        assertThat(left.isAlive()).isFalse();
    }

    @Test
    void aRouterLeftRunningWithOtherSettingsIsReplaced() throws Exception {
        try (RouterChild router = RouterChild.startOrAdopt(dir.resolve("router"), settings("apps.example.test"),
                said::add, output::add)) {
            assertThat(left.isAlive()).isFalse();
            assertThat(router.pid()).isNotEqualTo(left.pid());
            assertThat(said).anyMatch(line -> line.contains("with other settings or another build of Slipway: "
                    + "replacing it"));
            assertThat(RouterPidFile.read(dir.resolve("router").resolve("router.pid")).orElseThrow().domain())
                    .isEqualTo("apps.example.test");
        }
    }

    @Test
    void aRouterWantedWithMetricsReplacesOneWithoutAndServesThemOnLoopback() throws Exception {
        RouterChild.Settings plain = settings("localhost");
        RouterChild.Settings withMetrics = new RouterChild.Settings(plain.host(), plain.port(), plain.httpsPort(),
                plain.domain(), plain.zk(), plain.zkCredentials(), plain.api(), plain.logToken(), 0);
        try (RouterChild router = RouterChild.startOrAdopt(dir.resolve("router"), withMetrics, said::add,
                output::add)) {
            assertThat(left.isAlive()).isFalse();
            assertThat(router.metricsPort()).isPositive();
            var metrics = TestHttp.get(URI.create("http://127.0.0.1:" + router.metricsPort() + "/metrics"));
            assertThat(metrics.statusCode()).isEqualTo(200);
            assertThat(metrics.body()).contains("slipway_router_routes_apps 0.0\n")
                    .contains("slipway_router_requests_in_flight 0.0\n");
        }
    }

    @Test
    void aSecondUpOnTheSameDataDirectoryIsRefused() throws Exception {
        try (RouterChild router = RouterChild.startOrAdopt(dir.resolve("router"), settings("localhost"), said::add,
                output::add)) {
            assertThatThrownBy(() -> RouterChild.startOrAdopt(dir.resolve("router"), settings("localhost"),
                    said::add, output::add)).hasMessageContaining("already runs Slipway with the data directory");
            assertThat(router.pid()).isEqualTo(left.pid());
        }
    }

    private RouterChild.Settings settings(String domain) {
        return new RouterChild.Settings("127.0.0.1", 0, domain, zooKeeper.connectString(),
                dir.resolve(LocalSlipway.ZK_CREDENTIALS), URI.create("http://127.0.0.1:1"),
                dir.resolve("router").resolve(LocalSlipway.ROUTER_LOG_TOKEN));
    }
}
