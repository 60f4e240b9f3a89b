package dev.slipway.framework.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.zk.AppStore;
import dev.slipway.zk.EmbeddedZooKeeper;
import dev.slipway.zk.ZkClient;
import dev.slipway.zk.ZkCredentials;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.curator.framework.CuratorFramework;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A call already running when ZooKeeper goes away is answered 503 within seconds, and the worker
 * thread it held is given back, instead of both waiting out Curator's retries.
 */
class ZooKeeperGateTest {
    @Test
    void aCallCaughtByTheOutageIsAnswered503AndItsWorkerInterrupted(@TempDir Path dir) throws Exception {
        EmbeddedZooKeeper server = EmbeddedZooKeeper.start(dir.resolve("zk"), 0);
        ZkCredentials credentials = ZkCredentials.random();
        CuratorFramework zk = ZkClient.connect(server.connectString(), "/gate-test", credentials.slipway(),
                credentials.acls(), 30);
        Vertx vertx = Vertx.vertx();
        try {
            AppStore apps = new AppStore(zk);
            CountDownLatch started = new CountDownLatch(1);
            CountDownLatch serverStopped = new CountDownLatch(1);
            AtomicBoolean workEnded = new AtomicBoolean();
            Router router = Router.router(vertx);
            router.route().handler(new ZooKeeperGate(apps.connection()));
            router.get("/slow").handler(ctx -> Handlers.respond(ctx, 200, () -> {
                try {
                    started.countDown();
                    serverStopped.await();
                    return apps.get("anything").isPresent();
                } finally {
                    workEnded.set(true);
                }
            }));
            HttpServer http = vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1")
                    .await(10, TimeUnit.SECONDS);
            CompletableFuture<HttpResponse<String>> answer = ApiScenario.HTTP.sendAsync(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + http.actualPort() + "/slow")).timeout(Duration.ofSeconds(90))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();

            server.close();
            Awaitility.await().atMost(5, TimeUnit.SECONDS).until(() -> !apps.connection().connected());
            long start = System.nanoTime();
            serverStopped.countDown();

            HttpResponse<String> refused = answer.get(10, TimeUnit.SECONDS);
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertThat(refused.statusCode()).isEqualTo(503);
            assertThat(refused.body()).contains("ZooKeeper is unreachable");
            assertThat(millis).isLessThan(5_000);
            Awaitility.await().atMost(5, TimeUnit.SECONDS).untilTrue(workEnded);
        } finally {
            vertx.close().await(10, TimeUnit.SECONDS);
            zk.close();
        }
    }
}
