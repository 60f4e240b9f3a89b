package dev.slipway.framework.leader;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.slipway.framework.Framework;
import dev.slipway.framework.FrameworkConfig;
import dev.slipway.framework.mesos.MesosSettings;
import dev.slipway.zk.EmbeddedZooKeeper;
import dev.slipway.zk.Json;
import dev.slipway.zk.LeaderElection;
import dev.slipway.zk.ZkClient;
import dev.slipway.zk.ZkCredentials;
import dev.slipway.zk.ZkPaths;
import io.vertx.core.Vertx;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two framework instances on one ZooKeeper, each with its own session and API on loopback: the
 * follower serves the API by forwarding to the leader. No Mesos master answers (the leader's
 * scheduler keeps trying to subscribe): the API's calls only touch ZooKeeper.
 */
class FollowerForwardingTest {
    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    Path dir;
    EmbeddedZooKeeper server;
    final ZkCredentials credentials = ZkCredentials.random();
    final Deque<AutoCloseable> running = new ArrayDeque<>();
    Vertx vertx;
    /** The admin's token, which the first framework started made; every call sends it. */
    String adminToken;

    @BeforeEach
    void startZooKeeper() {
        server = EmbeddedZooKeeper.start(dir.resolve("zk"), 0);
        vertx = Vertx.vertx();
    }

    @AfterEach
    void stopAll() throws Exception {
        while (!running.isEmpty()) {
            running.pop().close();
        }
        vertx.close().await(10, TimeUnit.SECONDS);
        server.close();
    }

    @Test
    void aLoneInstanceServesTheApiAsSoonAsItHasStarted() throws Exception {
        Instance alone = start("a");

        assertThat(send(alone, "POST", "/apps", "{\"name\":\"hello\"}").statusCode()).isEqualTo(201);
    }

    @Test
    void aFollowerForwardsApiCallsToTheLeaderAndAnswersHealthItself() throws Exception {
        Instance leader = start("a");
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(leader.framework::leads);
        Instance follower = start("b");
        assertThat(follower.framework.leads()).isFalse();

        HttpResponse<String> created = send(follower, "POST", "/apps", "{\"name\":\"hello\"}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        assertThat(send(leader, "GET", "/apps/hello", null).statusCode()).isEqualTo(200);
        HttpResponse<String> listed = send(follower, "GET", "/apps", null);
        assertThat(Json.mapper().readTree(listed.body()).findValuesAsText("name")).contains("hello");

        JsonNode followerHealth = Json.mapper().readTree(send(follower, "GET", "/ready", null).body());
        assertThat(followerHealth.path("role").asText()).isEqualTo("follower");
        assertThat(followerHealth.path("status").asText()).isEqualTo("ok");
        JsonNode leaderHealth = Json.mapper().readTree(send(leader, "GET", "/ready", null).body());
        assertThat(leaderHealth.path("role").asText()).isEqualTo("leader");
        assertThat(leaderHealth.path("mesos").asText()).isEqualTo("disconnected");
    }

    @Test
    void aFollowerForwardsEventStreamsAndManyOpenStreamsDoNotHoldUpOtherCalls() throws Exception {
        Instance leader = start("a");
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(leader.framework::leads);
        Instance follower = start("b");
        java.util.List<java.io.BufferedReader> streams = new java.util.ArrayList<>();
        try {
            // More than the connections to the leader that calls share (32; a client's default is 5).
            for (int i = 0; i < 40; i++) {
                // A stream left waiting for a connection to the leader would never answer: fail at 10 s.
                HttpResponse<java.io.InputStream> stream = HTTP.send(HttpRequest.newBuilder(follower.api.resolve("/events"))
                        .timeout(Duration.ofSeconds(10)).header("Accept", "text/event-stream")
                        .header("Authorization", "Bearer " + adminToken).GET().build(),
                        HttpResponse.BodyHandlers.ofInputStream());
                assertThat(stream.statusCode()).isEqualTo(200);
                assertThat(stream.headers().firstValue("Content-Type")).contains("text/event-stream; charset=utf-8");
                streams.add(new java.io.BufferedReader(new java.io.InputStreamReader(stream.body(),
                        java.nio.charset.StandardCharsets.UTF_8)));
            }

            HttpResponse<String> created = send(follower, "POST", "/apps", "{\"name\":\"streamed\"}");
            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);

            for (java.io.BufferedReader stream : streams) {
                String data = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                    try {
                        for (String line = stream.readLine(); line != null; line = stream.readLine()) {
                            if (line.startsWith("data: ") && line.contains("\"app.created\"")) {
                                return line;
                            }
                        }
                        return null;
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }).get(10, TimeUnit.SECONDS);
                assertThat(data).contains("\"app\":\"streamed\"");
            }
        } finally {
            for (java.io.BufferedReader stream : streams) {
                stream.close();
            }
        }
    }

    @Test
    void aCallForwardedToAnInstanceThatNoLongerLeadsIsNotForwardedAgain() throws Exception {
        Instance leader = start("a");
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(leader.framework::leads);
        Instance follower = start("b");

        HttpResponse<String> looped = HTTP.send(HttpRequest.newBuilder(follower.api.resolve("/apps"))
                .header("X-Slipway-Forwarded-By", leader.api.toString())
                .header("Authorization", "Bearer " + adminToken).GET().build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(looped.statusCode()).isEqualTo(503);
        assertThat(looped.headers().firstValue("Content-Type")).contains("application/problem+json");
        assertThat(looped.body()).contains("no longer leads");
    }

    @Test
    void aFollowerWhoseLeaderDoesNotAnswerSays503AndServesOnceElected() throws Exception {
        // A leader that joined the election and died before its session ended: its API is gone.
        CuratorFramework ghostClient = connect();
        running.push(ghostClient::close);
        LeaderElection ghost = new LeaderElection(ghostClient, URI.create("http://127.0.0.1:" + freePort()));
        ghost.start(new LeaderElection.Listener() {
            @Override
            public void elected() {
            }

            @Override
            public void deposed() {
            }
        });
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(ghost::leads);
        Instance follower = start("b");

        HttpResponse<String> refused = send(follower, "POST", "/apps", "{\"name\":\"hello\"}");
        assertThat(refused.statusCode()).isEqualTo(503);
        assertThat(refused.headers().firstValue("Content-Type")).contains("application/problem+json");
        assertThat(refused.body()).contains("did not answer");
        assertThat(send(follower, "GET", "/health", null).statusCode()).isEqualTo(200);

        ghost.close();
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(follower.framework::leads);
        assertThat(send(follower, "POST", "/apps", "{\"name\":\"hello\"}").statusCode()).isEqualTo(201);
    }

    private record Instance(Framework framework, URI api) {
    }

    private Instance start(String name) throws Exception {
        CuratorFramework zk = connect();
        running.push(zk::close);
        Path home = Files.createDirectories(dir.resolve(name));
        Path jar = Files.writeString(home.resolve("executor.jar"), "not a jar");
        Path buildpacks = Files.createDirectories(home.resolve("buildpacks"));
        int port = freePort();
        URI api = URI.create("http://127.0.0.1:" + port);
        FrameworkConfig config = new FrameworkConfig(new MesosSettings(URI.create("http://127.0.0.1:" + freePort()),
                "slipway", null, "*", null, null, null), "127.0.0.1", port, api, home.resolve("data"), jar, buildpacks,
                "localhost", 8080, null);
        Framework framework = Framework.start(vertx, config, zk, Clock.systemUTC()).await(30, TimeUnit.SECONDS);
        running.push(framework);
        framework.firstAdminToken().ifPresent(token -> adminToken = token);
        return new Instance(framework, api);
    }

    private CuratorFramework connect() {
        return ZkClient.connect(server.connectString(), ZkPaths.DEFAULT_CHROOT, credentials.slipway(),
                credentials.acls(), 30, ZkClient.FRAMEWORK_SESSION);
    }

    private HttpResponse<String> send(Instance to, String method, String path, String json) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(to.api.resolve(path)).timeout(Duration.ofSeconds(20))
                .header("Authorization", "Bearer " + adminToken);
        if (json != null) {
            request.header("Content-Type", "application/json");
        }
        return HTTP.send(request.method(method, json == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
