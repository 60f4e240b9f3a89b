package dev.slipway.zk;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.state.ConnectionState;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the router relies on when the framework's JVM, and the embedded ZooKeeper with it, dies. */
class RouteWatcherTest {
    @TempDir
    Path dataDir;

    @Test
    void theLastTableStaysWhileZooKeeperIsAwayAndChangesAreFollowedWhenItComesBack() throws Exception {
        int port = freePort();
        EmbeddedZooKeeper server = EmbeddedZooKeeper.start(dataDir, port);
        ZkCredentials credentials = ZkCredentials.random();
        CuratorFramework router = ZkClient.connectAsRouter(server.connectString(), "/watcher-test", credentials, 30);
        CuratorFramework before = ZkClient.connect(server.connectString(), "/watcher-test", credentials.slipway(),
                credentials.acls(), 30);
        AtomicBoolean suspended = new AtomicBoolean();
        router.getConnectionStateListenable().addListener((client, state) -> {
            if (state == ConnectionState.SUSPENDED) {
                suspended.set(true);
            }
        });
        List<Map<String, Route>> seen = new CopyOnWriteArrayList<>();
        try (RouteWatcher watcher = new RouteStore(router).watch(seen::add)) {
            assertThat(watcher.awaitInitialized(10, TimeUnit.SECONDS)).isTrue();
            new RouteStore(before).put(route("hello", 31001));
            before.close();
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> last(seen).containsKey("hello"));

            server.close();
            Awaitility.await().atMost(Duration.ofSeconds(30)).untilTrue(suspended);
            assertThat(last(seen)).containsOnlyKeys("hello");

            server = EmbeddedZooKeeper.start(dataDir, port);
            CuratorFramework framework = ZkClient.connect(server.connectString(), "/watcher-test",
                    credentials.slipway(), credentials.acls(), 30);
            try {
                new RouteStore(framework).put(route("world", 31002));
                Awaitility.await().atMost(Duration.ofSeconds(30))
                        .until(() -> last(seen).keySet().equals(Set.of("hello", "world")));
            } finally {
                framework.close();
            }
        } finally {
            router.close();
            server.close();
        }
    }

    @Test
    void aChangedRouteReplacesItsAppsAndADeletedOneLeavesTheOthersInPlace() throws Exception {
        EmbeddedZooKeeper server = EmbeddedZooKeeper.start(dataDir, 0);
        ZkCredentials credentials = ZkCredentials.random();
        CuratorFramework router = ZkClient.connectAsRouter(server.connectString(), "/watcher-test", credentials, 30);
        CuratorFramework framework = ZkClient.connect(server.connectString(), "/watcher-test", credentials.slipway(),
                credentials.acls(), 30);
        RouteStore routes = new RouteStore(framework);
        routes.put(route("hello", 31001));
        routes.put(route("world", 31002));
        List<Map<String, Route>> seen = new CopyOnWriteArrayList<>();
        try (RouteWatcher watcher = new RouteStore(router).watch(seen::add)) {
            assertThat(watcher.awaitInitialized(10, TimeUnit.SECONDS)).isTrue();
            assertThat(last(seen)).containsOnlyKeys("hello", "world");

            routes.put(route("hello", 31003));
            Awaitility.await().atMost(Duration.ofSeconds(10))
                    .until(() -> last(seen).get("hello").endpoints().get(0).port() == 31003);
            assertThat(last(seen).get("world").endpoints().get(0).port()).isEqualTo(31002);

            routes.delete("world");
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> !last(seen).containsKey("world"));
            assertThat(last(seen)).containsOnlyKeys("hello");
        } finally {
            framework.close();
            router.close();
            server.close();
        }
    }

    private static Route route(String app, int port) {
        return new Route(app, List.of(), List.of(new Route.Endpoint("127.0.0.1", port, "web.1", app + "-t1")));
    }

    private static Map<String, Route> last(List<Map<String, Route>> seen) {
        return seen.isEmpty() ? Map.of() : seen.get(seen.size() - 1);
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
