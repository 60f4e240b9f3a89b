package dev.slipway.zk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.ACL;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Who can do what on Slipway's znodes, tried with real clients on the embedded server. */
class ZkAclsTest {
    static final String CHROOT = "/acl-test";
    static final byte[] SECRET = "{\"DATABASE_URL\":\"postgres://u:hunter2@db/app\"}".getBytes(StandardCharsets.UTF_8);
    static final Route HELLO = new Route("hello", List.of("hello.localhost"),
            List.of(new Route.Endpoint("127.0.0.1", 31000, "web.1", "t1")));

    @TempDir
    static Path dataDir;
    static EmbeddedZooKeeper server;
    static ZkCredentials credentials = ZkCredentials.random();
    static CuratorFramework slipway;

    @BeforeAll
    static void startZooKeeper() throws Exception {
        server = EmbeddedZooKeeper.start(dataDir.resolve("zk"), 0);
        slipway = connect(credentials.slipway());
        credentials.acls().migrate(slipway);
        slipway.create().creatingParentContainersIfNeeded().forPath(ZkPaths.config("hello"), SECRET);
        new RouteStore(slipway).put(HELLO);
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
    void aClientThatDoesNotAuthenticateCannotReadConfigVarsNorWriteRoutes() throws Exception {
        ZooKeeper anonymous = plainClient();
        try {
            assertThatThrownBy(() -> anonymous.getData(CHROOT + ZkPaths.config("hello"), false, null))
                    .isInstanceOf(KeeperException.class);
            assertThatThrownBy(() -> anonymous.setData(CHROOT + ZkPaths.route("hello"), "{}".getBytes(), -1))
                    .isInstanceOf(KeeperException.class);
            // Not even the tree's shape: the server closed the session at the first request.
            assertThatThrownBy(() -> anonymous.getChildren(CHROOT, false)).isInstanceOf(KeeperException.class);
        } finally {
            anonymous.close();
        }
        assertThat(new RouteStore(slipway).get("hello")).contains(HELLO);
    }

    @Test
    void aClientWithADigestOfItsOwnCanNeitherReadConfigVarsNorTouchRoutes() {
        try (CuratorFramework stranger = connect(ZkCredential.digest("intruder", "guess"))) {
            assertThatThrownBy(() -> stranger.getData().forPath(ZkPaths.config("hello")))
                    .isInstanceOf(KeeperException.NoAuthException.class);
            assertThatThrownBy(() -> stranger.getData().forPath(ZkPaths.route("hello")))
                    .isInstanceOf(KeeperException.NoAuthException.class);
            assertThatThrownBy(() -> stranger.setData().forPath(ZkPaths.route("hello"), "{}".getBytes()))
                    .isInstanceOf(KeeperException.NoAuthException.class);
            assertThatThrownBy(() -> stranger.create().forPath(ZkPaths.route("other"), "{}".getBytes()))
                    .isInstanceOf(KeeperException.NoAuthException.class);
            assertThatThrownBy(() -> stranger.delete().forPath(ZkPaths.route("hello")))
                    .isInstanceOf(KeeperException.NoAuthException.class);
            assertThatThrownBy(() -> stranger.setACL().withACL(ZooDefs.Ids.OPEN_ACL_UNSAFE).forPath(ZkPaths.ROUTES))
                    .isInstanceOf(KeeperException.NoAuthException.class);
            assertThatThrownBy(() -> stranger.getChildren().forPath(ZkPaths.APPS))
                    .isInstanceOf(KeeperException.NoAuthException.class);
        }
        assertThat(new RouteStore(slipway).get("hello")).contains(HELLO);
    }

    @Test
    void theRouterReadsAndWatchesRoutesButCannotWriteThemNorReadConfigVars() throws Exception {
        try (CuratorFramework router = connect(credentials.router())) {
            RouteStore routes = new RouteStore(router);
            assertThat(routes.get("hello")).contains(HELLO);
            AtomicReference<Map<String, Route>> seen = new AtomicReference<>(Map.of());
            try (RouteWatcher watcher = routes.watch(seen::set)) {
                assertThat(watcher.awaitInitialized(10, TimeUnit.SECONDS)).isTrue();
                assertThat(seen.get()).containsEntry("hello", HELLO);
                Route moved = new Route("hello", List.of("hello.localhost"),
                        List.of(new Route.Endpoint("127.0.0.1", 31001, "web.2", "t2")));
                new RouteStore(slipway).put(moved);
                Awaitility.await().atMost(10, TimeUnit.SECONDS).until(() -> moved.equals(seen.get().get("hello")));
                new RouteStore(slipway).put(HELLO);
            }

            Route hijack = new Route("hello", List.of("hello.localhost"),
                    List.of(new Route.Endpoint("127.0.0.1", 9, "evil", "evil")));
            assertThatThrownBy(() -> routes.put(hijack)).isInstanceOf(Unavailable.class).hasMessageContaining("NoAuth");
            assertThatThrownBy(() -> routes.delete("hello")).isInstanceOf(Unavailable.class);
            assertThatThrownBy(() -> router.getData().forPath(ZkPaths.config("hello")))
                    .isInstanceOf(KeeperException.NoAuthException.class);
            assertThatThrownBy(() -> router.getData().forPath(ZkPaths.app("hello")))
                    .isInstanceOf(KeeperException.NoAuthException.class);
            assertThat(new RouteStore(slipway).get("hello")).contains(HELLO);
        }
    }

    @Test
    void theRouterReadsCertificatesWithTheirKeysButNobodyElseDoesAndOnlySlipwayWritesThem() throws Exception {
        AppStore apps = new AppStore(slipway);
        apps.create(App.created("secure", Instant.EPOCH));
        apps.domains().add(apps.require("secure"), new Domain("www.secure.example", "secure", "d1", Instant.EPOCH));
        SelfSigned pair = SelfSigned.generate("www.secure.example");
        apps.certs().put(new TlsCertificate("www.secure.example", "secure", "c1", pair.certificate(), pair.privateKey(),
                Instant.EPOCH, Instant.EPOCH));

        try (CuratorFramework router = connect(credentials.router())) {
            CertStore certs = new CertStore(router);
            assertThat(certs.get("www.secure.example")).get().extracting(TlsCertificate::privateKey)
                    .isEqualTo(pair.privateKey());
            AtomicReference<Map<String, TlsCertificate>> seen = new AtomicReference<>(Map.of());
            try (TableWatcher<TlsCertificate> watcher = certs.watch(seen::set)) {
                assertThat(watcher.awaitInitialized(10, TimeUnit.SECONDS)).isTrue();
                assertThat(seen.get()).containsKey("www.secure.example");
            }
            assertThatThrownBy(() -> router.setData().forPath(ZkPaths.cert("www.secure.example"), "{}".getBytes()))
                    .isInstanceOf(KeeperException.NoAuthException.class);
            assertThatThrownBy(() -> router.create().forPath(ZkPaths.cert("evil.example"), "{}".getBytes()))
                    .isInstanceOf(KeeperException.NoAuthException.class);
            assertThatThrownBy(() -> router.delete().forPath(ZkPaths.cert("www.secure.example")))
                    .isInstanceOf(KeeperException.NoAuthException.class);
            assertThatThrownBy(() -> router.getData().forPath(ZkPaths.domain("www.secure.example")))
                    .isInstanceOf(KeeperException.NoAuthException.class);
        }
        try (CuratorFramework stranger = connect(ZkCredential.digest("intruder", "guess"))) {
            assertThatThrownBy(() -> stranger.getData().forPath(ZkPaths.cert("www.secure.example")))
                    .isInstanceOf(KeeperException.NoAuthException.class);
            assertThatThrownBy(() -> stranger.getChildren().forPath(ZkPaths.CERTS))
                    .isInstanceOf(KeeperException.NoAuthException.class);
        }
        assertThat(slipway.getACL().forPath(ZkPaths.cert("www.secure.example")))
                .containsExactlyInAnyOrderElementsOf(credentials.acls().forPath(ZkPaths.CERTS));
    }

    @Test
    void theRouterWatchesRoutesThatDoNotExistYet() throws Exception {
        String chroot = "/acl-test-empty";
        try (CuratorFramework router = ZkClient.connect(server.connectString(), chroot, credentials.router(),
                credentials.acls(), 30)) {
            AtomicReference<Map<String, Route>> seen = new AtomicReference<>(Map.of());
            try (RouteWatcher watcher = new RouteStore(router).watch(seen::set)) {
                assertThat(watcher.awaitInitialized(10, TimeUnit.SECONDS)).isTrue();
                try (CuratorFramework owner = ZkClient.connect(server.connectString(), chroot, credentials.slipway(),
                        credentials.acls(), 30)) {
                    new RouteStore(owner).put(HELLO);
                }
                Awaitility.await().atMost(10, TimeUnit.SECONDS).until(() -> HELLO.equals(seen.get().get("hello")));
            }
        }
    }

    @Test
    void theSlipwayIdentityDoesEverythingAndItsZnodesCarryThePolicy() throws Exception {
        AppStore apps = new AppStore(slipway);
        apps.create(App.created("owned", Instant.parse("2026-12-06T00:00:00Z")));
        assertThat(slipway.getData().forPath(ZkPaths.config("hello"))).isEqualTo(SECRET);
        assertThat(apps.get("owned")).isPresent();
        slipway.delete().deletingChildrenIfNeeded().forPath(ZkPaths.app("owned"));

        assertThat(slipway.getACL().forPath(ZkPaths.config("hello"))).containsExactlyInAnyOrderElementsOf(
                List.of(new ACL(ZooDefs.Perms.ALL, credentials.slipway().id())));
        assertThat(slipway.getACL().forPath(ZkPaths.route("hello"))).containsExactlyInAnyOrder(
                new ACL(ZooDefs.Perms.ALL, credentials.slipway().id()),
                new ACL(ZooDefs.Perms.READ, credentials.router().id()));
        assertThat(slipway.getACL().forPath(ZkPaths.APPS)).containsExactly(new ACL(ZooDefs.Perms.ALL, credentials.slipway().id()));
    }

    @Test
    void znodesMadeWithTheWorldAclBeforeGetThePolicyOnStart() throws Exception {
        String chroot = "/acl-test-upgraded";
        // What Slipway made before it used ACLs: world:anyone cdrwa on every znode.
        try (CuratorFramework before = ZkClient.connectToRead(server.connectString(), chroot,
                Optional.of(credentials.slipway()), 30)) {
            before.create().creatingParentsIfNeeded().forPath(ZkPaths.config("old"), SECRET);
            before.create().creatingParentsIfNeeded().forPath(ZkPaths.route("old"), "{}".getBytes());
            assertThat(before.getACL().forPath(ZkPaths.config("old"))).isEqualTo(ZooDefs.Ids.OPEN_ACL_UNSAFE);
        }
        try (CuratorFramework owner = ZkClient.connect(server.connectString(), chroot, credentials.slipway(),
                credentials.acls(), 30)) {
            assertThat(credentials.acls().migrate(owner)).isGreaterThanOrEqualTo(6);
            assertThat(owner.getACL().forPath(ZkPaths.config("old")))
                    .containsExactly(new ACL(ZooDefs.Perms.ALL, credentials.slipway().id()));
            assertThat(owner.getACL().forPath(ZkPaths.route("old"))).containsExactlyInAnyOrder(
                    new ACL(ZooDefs.Perms.ALL, credentials.slipway().id()),
                    new ACL(ZooDefs.Perms.READ, credentials.router().id()));
            assertThat(credentials.acls().migrate(owner)).isZero();
        }
        try (CuratorFramework stranger = ZkClient.connect(server.connectString(), chroot,
                ZkCredential.digest("intruder", "guess"), credentials.acls(), 30)) {
            assertThatThrownBy(() -> stranger.getData().forPath(ZkPaths.config("old")))
                    .isInstanceOf(KeeperException.NoAuthException.class);
            assertThatThrownBy(() -> stranger.setData().forPath(ZkPaths.route("old"), "{}".getBytes()))
                    .isInstanceOf(KeeperException.NoAuthException.class);
        }
    }

    @Test
    void znodesOfAnotherIdentityAreNotTakenOverAndTheErrorSaysWhy() {
        String chroot = "/acl-test-foreign";
        ZkCredentials other = ZkCredentials.random();
        try (CuratorFramework first = ZkClient.connect(server.connectString(), chroot, other.slipway(), other.acls(), 30)) {
            new RouteStore(first).put(HELLO);
        }
        try (CuratorFramework second = ZkClient.connect(server.connectString(), chroot, credentials.slipway(),
                credentials.acls(), 30)) {
            assertThatThrownBy(() -> credentials.acls().migrate(second)).isInstanceOf(Unavailable.class)
                    .hasMessageContaining("other credentials");
        }
    }

    @Test
    void aLockedRootLetsNoOtherClientMakeZnodesBesideSlipways(@TempDir Path own) throws Exception {
        try (EmbeddedZooKeeper lone = EmbeddedZooKeeper.start(own.resolve("zk"), 0);
             CuratorFramework owner = ZkClient.connect(lone.connectString(), ZkPaths.DEFAULT_CHROOT,
                     credentials.slipway(), credentials.acls(), 30);
             CuratorFramework stranger = ZkClient.connectToRead(lone.connectString(), "/",
                     Optional.of(ZkCredential.digest("intruder", "guess")), 30)) {
            credentials.acls().migrate(owner);
            credentials.acls().lockRoot(owner);
            assertThatThrownBy(() -> stranger.create().forPath("/squat")).isInstanceOf(KeeperException.NoAuthException.class);
            assertThat(new RouteStore(owner).list()).isEmpty();
        }
    }

    @Test
    void credentialsNeverShowTheirPasswords() {
        assertThat(credentials.toString()).doesNotContain(credentials.slipway().password())
                .doesNotContain(credentials.router().password());
    }

    private static ZooKeeper plainClient() throws Exception {
        CountDownLatch connected = new CountDownLatch(1);
        ZooKeeper zk = new ZooKeeper(server.connectString(), 10_000, event -> {
            if (event.getState() == Watcher.Event.KeeperState.SyncConnected) {
                connected.countDown();
            }
        });
        assertThat(connected.await(10, TimeUnit.SECONDS)).isTrue();
        return zk;
    }
}
