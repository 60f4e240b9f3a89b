package dev.slipway.router;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.zk.EmbeddedZooKeeper;
import dev.slipway.zk.Route;
import dev.slipway.zk.RouteStore;
import dev.slipway.zk.RouterAcks;
import dev.slipway.zk.ZkClient;
import dev.slipway.zk.ZkCredentials;
import dev.slipway.zk.ZkPaths;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The router tells the scheduler which route version it serves, as the read-only identity of slipway up. */
class RouteAcknowledgementTest {
    @TempDir
    Path dir;

    @Test
    void theRouterAcknowledgesEachTableItServesAndItsNodeGoesWhenItStops() {
        ZkCredentials credentials = ZkCredentials.random();
        Vertx vertx = Vertx.vertx();
        try (EmbeddedZooKeeper zooKeeper = EmbeddedZooKeeper.start(dir.resolve("zk"), 0);
             CuratorFramework slipway = ZkClient.connect(zooKeeper.connectString(), ZkPaths.DEFAULT_CHROOT,
                     credentials.slipway(), credentials.acls(), 10);
             CuratorFramework routerIdentity = ZkClient.connect(zooKeeper.connectString(), ZkPaths.DEFAULT_CHROOT,
                     credentials.router(), credentials.acls(), 10)) {
            credentials.acls().migrate(slipway);
            RouteStore routes = new RouteStore(slipway);
            routes.put(new Route("hello", List.of(), List.of(new Route.Endpoint("127.0.0.1", 31000, "web.1", "t1")), 5));
            RouterConfig config = new RouterConfig("127.0.0.1", 0, "localhost", Duration.ofSeconds(2),
                    Duration.ofSeconds(5));
            HttpRouter router = Futures.await(HttpRouter.start(vertx, config, new RouteStore(routerIdentity),
                    Clock.systemUTC()));
            RouterAcks acks = routes.acks();
            Awaitility.await().atMost(10, TimeUnit.SECONDS).until(() -> acks.list().containsValue(5L));

            routes.put(new Route("hello", List.of(), List.of(), 6));
            Awaitility.await().atMost(10, TimeUnit.SECONDS).until(() -> acks.list().containsValue(6L));
            assertThat(acks.list()).hasSize(1);

            Futures.await(router.stop());
            assertThat(acks.list()).isEmpty();
        } finally {
            vertx.close();
        }
    }
}
