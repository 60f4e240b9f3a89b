package dev.slipway.zk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.KeeperException;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Routers' acknowledgements of the route versions they serve, with real clients of both identities. */
class RouterAcksTest {
    static final String CHROOT = "/router-acks-test";

    @TempDir
    static Path dataDir;
    static EmbeddedZooKeeper server;
    static ZkCredentials credentials = ZkCredentials.random();
    static CuratorFramework slipway;

    @BeforeAll
    static void startZooKeeper() {
        server = EmbeddedZooKeeper.start(dataDir.resolve("zk"), 0);
        slipway = connect(credentials.slipway());
        credentials.acls().migrate(slipway);
    }

    @AfterAll
    static void stopZooKeeper() {
        slipway.close();
        server.close();
    }

    static CuratorFramework connect(ZkCredential as) {
        return ZkClient.connect(server.connectString(), CHROOT, as, credentials.acls(), 30);
    }

    @Test
    void aRoutersAcknowledgementIsSeenByTheSchedulerAndGoesWithItsSession() {
        AtomicReference<Map<String, Long>> seen = new AtomicReference<>();
        try (RouterAcks.Watch watch = new RouterAcks(slipway).watch(seen::set)) {
            Awaitility.await().atMost(10, TimeUnit.SECONDS).until(() -> seen.get() != null);
            assertThat(seen.get()).doesNotContainKey("router-a");
            try (CuratorFramework router = connect(credentials.router())) {
                RouterAcks.Acknowledger ack = new RouteStore(router).acks().register("router-a");
                ack.served(41);
                Awaitility.await().atMost(10, TimeUnit.SECONDS)
                        .until(() -> Long.valueOf(41).equals(seen.get().get("router-a")));
                ack.served(42);
                Awaitility.await().atMost(10, TimeUnit.SECONDS)
                        .until(() -> Long.valueOf(42).equals(seen.get().get("router-a")));
                assertThat(new RouterAcks(slipway).list()).containsEntry("router-a", 42L);
            }
            Awaitility.await().atMost(10, TimeUnit.SECONDS).until(() -> !seen.get().containsKey("router-a"));
            assertThat(new RouterAcks(slipway).list()).doesNotContainKey("router-a");
        }
    }

    @Test
    void aClosedAcknowledgerRemovesItsNodeAtOnce() {
        try (CuratorFramework router = connect(credentials.router())) {
            RouterAcks.Acknowledger ack = new RouterAcks(router).register("router-b");
            ack.served(7);
            assertThat(new RouterAcks(slipway).list()).containsEntry("router-b", 7L);
            ack.close();
            ack.served(8);
            assertThat(new RouterAcks(slipway).list()).doesNotContainKey("router-b");
        }
    }

    @Test
    void theRouterMayWriteAcknowledgementsButNoRouteNorAnythingBesideThem() {
        try (CuratorFramework router = connect(credentials.router())) {
            new RouterAcks(router).register("router-c").served(1);
            assertThatThrownBy(() -> router.create().forPath(ZkPaths.route("evil"), "{}".getBytes()))
                    .isInstanceOf(KeeperException.NoAuthException.class);
            assertThatThrownBy(() -> router.create().forPath("/evil", "{}".getBytes()))
                    .isInstanceOf(KeeperException.NoAuthException.class);
            assertThatThrownBy(() -> router.setData().forPath(ZkPaths.ROUTERS, "{}".getBytes()))
                    .isInstanceOf(KeeperException.NoAuthException.class);
            assertThatThrownBy(() -> router.delete().forPath(ZkPaths.ROUTERS))
                    .isInstanceOf(KeeperException.NoAuthException.class);
        }
    }

    @Test
    void theRoutersNodeOutlivesItsLastRouterSoThatTheNextOneCanRegister() throws Exception {
        try (CuratorFramework router = connect(credentials.router())) {
            RouterAcks.Acknowledger ack = new RouterAcks(router).register("router-d");
            ack.served(1);
            ack.close();
        }
        assertThat(slipway.checkExists().forPath(ZkPaths.ROUTERS)).isNotNull();
        try (CuratorFramework router = connect(credentials.router())) {
            new RouterAcks(router).register("router-e").served(2);
            assertThat(new RouterAcks(slipway).list()).containsEntry("router-e", 2L);
        }
    }

    @Test
    void aRouterStartedBeforeTheFrameworkAcknowledgesOnceTheFrameworkHasMadeTheRoutersNode() throws Exception {
        String chroot = "/router-acks-before-framework";
        try (CuratorFramework framework = ZkClient.connect(server.connectString(), chroot, credentials.slipway(),
                credentials.acls(), 30)) {
            framework.createContainers("/");
            try (CuratorFramework router = ZkClient.connect(server.connectString(), chroot, credentials.router(),
                    credentials.acls(), 30)) {
                RouterAcks.Acknowledger ack = new RouterAcks(router).register("router-f");
                ack.served(1);
                assertThat(framework.checkExists().forPath(ZkPaths.ROUTERS)).isNull();

                credentials.acls().migrate(framework);
                ack.served(2);

                assertThat(new RouterAcks(framework).list()).containsEntry("router-f", 2L);
            }
        }
    }

    @Test
    void aRouteStoredWithoutAVersionReadsAsVersionZeroAndTheTableVersionIsTheLargest() throws Exception {
        slipway.create().creatingParentContainersIfNeeded().forPath(ZkPaths.route("old"),
                "{\"app\":\"old\",\"hostnames\":[],\"endpoints\":[]}".getBytes(StandardCharsets.UTF_8));
        RouteStore routes = new RouteStore(slipway);
        assertThat(routes.get("old")).hasValueSatisfying(r -> assertThat(r.version()).isZero());
        routes.put(new Route("new", List.of(), List.of(), 1_700_000_000_123L));
        assertThat(RouterAcks.versionOf(routes.list())).isEqualTo(1_700_000_000_123L);
        assertThat(RouterAcks.versionOf(List.of())).isZero();
    }
}
