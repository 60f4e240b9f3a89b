package dev.slipway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.slipway.framework.Framework;
import dev.slipway.framework.FrameworkConfig;
import dev.slipway.framework.mesos.MesosSettings;
import dev.slipway.mesoslocal.MesosLocal;
import dev.slipway.mesoslocal.MesosLocalConfig;
import dev.slipway.mesoslocal.MesosLocalFlags;
import dev.slipway.mesoslocal.SimulatedAgents;
import dev.slipway.zk.App;
import dev.slipway.zk.AppStore;
import dev.slipway.zk.EmbeddedZooKeeper;
import dev.slipway.zk.Json;
import dev.slipway.zk.Release;
import dev.slipway.zk.ReleaseStore;
import dev.slipway.zk.Versioned;
import dev.slipway.zk.ZkClient;
import dev.slipway.zk.ZkCredentials;
import dev.slipway.zk.ZkPaths;
import io.vertx.core.Vertx;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.apache.curator.framework.CuratorFramework;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Placement constraints against mesos-local's simulated agents: six agents in three racks and
 * three zones (agent i in rack r(i % 3 + 1), zone z(i % 3 + 1)), the framework placing a worker
 * process type under the constraints set through the API.
 */
class SimulatedPlacementTest {
    static final SimulatedAgents AGENTS = SimulatedAgents.of(6, List.of("r1", "r2", "r3"), List.of("z1", "z2", "z3"));
    @TempDir
    Path home;
    EmbeddedZooKeeper zooKeeper;
    CuratorFramework zk;
    MesosLocal mesos;
    Vertx vertx;
    Framework framework;
    String api;
    /** The first admin's token, made by the first framework started on this ZooKeeper. */
    String adminToken;
    final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() throws Exception {
        zooKeeper = EmbeddedZooKeeper.start(home.resolve("zk"), 0);
        ZkCredentials credentials = ZkCredentials.random();
        zk = ZkClient.connect(zooKeeper.connectString(), ZkPaths.DEFAULT_CHROOT, credentials.slipway(),
                credentials.acls(), 30);
        mesos = MesosLocal.start(MesosLocalConfig.defaults(home.resolve("mesos")), MesosLocalFlags.defaults(), AGENTS);
        vertx = Vertx.vertx();
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        api = "http://127.0.0.1:" + port;
        FrameworkConfig config = new FrameworkConfig(new MesosSettings(mesos.masterUri(), "slipway", null, "*", null,
                api, null, null), "127.0.0.1", port, URI.create(api), home.resolve("framework"),
                EndToEndTest.EXECUTOR_JAR, EndToEndTest.BUILDPACKS, "localhost", 8080, null);
        framework = Framework.start(vertx, config, zk, java.time.Clock.systemUTC()).await(30, TimeUnit.SECONDS);
        // The CLI sends the first admin's token, as `slipway up` stores it; a restarted framework (at
        // another port) made none, and the first one still works.
        framework.firstAdminToken().ifPresent(token -> adminToken = token);
        Credentials.ofThisUser().put(api, adminToken);
    }

    @AfterEach
    void stop() throws Exception {
        if (framework != null) {
            framework.close();
        }
        mesos.close();
        vertx.close().await(10, TimeUnit.SECONDS);
        zk.close();
        zooKeeper.close();
    }

    @Test
    void groupByZoneSpreadsSixWorkersTwoPerZone() throws Exception {
        givenReleased("spread");

        patch("/apps/spread/formation/worker", "{\"quantity\": 6, \"constraints\": [\"zone:GROUP_BY:3\"]}");

        List<JsonNode> up = awaitUp("spread", 6);
        Map<String, Integer> perZone = new TreeMap<>();
        up.forEach(d -> perZone.merge(zoneOf(d.path("host").asText()), 1, Integer::sum));
        assertThat(perZone).isEqualTo(Map.of("z1", 2, "z2", 2, "z3", 2));
    }

    @Test
    void uniqueHostnameRunsOneWorkerPerAgentAndTheSeventhIsPendingWithTheReason() throws Exception {
        givenReleased("uniq");

        patch("/apps/uniq/formation/worker", "{\"quantity\": 7, \"constraints\": [\"hostname:UNIQUE\"]}");

        List<JsonNode> up = awaitUp("uniq", 6);
        assertThat(up).extracting(d -> d.path("host").asText()).doesNotHaveDuplicates();
        Awaitility.await().atMost(30, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(200))
                .until(() -> dyno("uniq", "worker.7"), d -> d != null && d.path("state").asText().equals("pending")
                        && d.path("message").asText()
                        .matches("UNIQUE hostname: (all \\d+ agents already run|sim-agent-\\d{4} already runs) worker"));
    }

    @Test
    void clusterKeepsWorkersInOneRack() throws Exception {
        givenReleased("racked");

        patch("/apps/racked/formation/worker", "{\"quantity\": 4, \"constraints\": [[\"rack\", \"CLUSTER\", \"r2\"]]}");

        List<JsonNode> up = awaitUp("racked", 4);
        // Rack r2 holds agents 2 and 5: the four workers spread over both.
        assertThat(up).extracting(d -> d.path("host").asText())
                .containsOnly(AGENTS.hostname(1), AGENTS.hostname(4));
        assertThat(up.stream().filter(d -> d.path("host").asText().equals(AGENTS.hostname(1)))).hasSize(2);
    }

    @Test
    void aRollingDeployUniqueLeavesNoRoomForCompletesByReplacingInPlace() throws Exception {
        givenReleased("rolling");
        patch("/apps/rolling/formation/worker", "{\"quantity\": 6, \"constraints\": [\"hostname:UNIQUE\"]}");
        awaitUp("rolling", 6);

        AppStore apps = new AppStore(zk);
        new ReleaseStore(zk).publish(apps.require("rolling"), new Release(2, "d".repeat(64), 10,
                Map.of("worker", "sleep 2000"), Map.of(), Map.of(), "second release", Instant.now()));

        Awaitility.await().atMost(90, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(200)).until(() -> {
            List<JsonNode> v2 = new ArrayList<>();
            dynos("rolling").forEach(d -> {
                if (d.path("state").asText().equals("up") && d.path("release").asInt() == 2) {
                    v2.add(d);
                }
            });
            return v2.size() == 6 && v2.stream().map(d -> d.path("host").asText()).distinct().count() == 6;
        });
    }

    private void givenReleased(String name) throws Exception {
        assertThat(post("/apps", "{\"name\": \"" + name + "\"}").statusCode()).isEqualTo(201);
        AppStore apps = new AppStore(zk);
        Versioned<App> app = apps.require(name);
        // Simulated agents fetch nothing and run nothing: the slug need not exist.
        new ReleaseStore(zk).publish(app, new Release(1, "c".repeat(64), 10, Map.of("worker", "sleep 1000"), Map.of(),
                Map.of(), "test release", Instant.now()));
    }

    private List<JsonNode> awaitUp(String app, int count) {
        List<JsonNode> up = new ArrayList<>();
        Awaitility.await().atMost(60, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(200)).until(() -> {
            up.clear();
            dynos(app).forEach(d -> {
                if (d.path("state").asText().equals("up")) {
                    up.add(d);
                }
            });
            return up.size() == count;
        });
        return up;
    }

    private JsonNode dyno(String app, String name) throws Exception {
        for (JsonNode d : dynos(app)) {
            if (d.path("name").asText().equals(name)) {
                return d;
            }
        }
        return null;
    }

    private JsonNode dynos(String app) throws Exception {
        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(api + "/apps/" + app + "/dynos"))
                .header("Authorization", bearer()).build(), HttpResponse.BodyHandlers.ofString());
        return Json.mapper().readTree(answer.body());
    }

    private static String zoneOf(String hostname) {
        return IntStream.range(0, 6).filter(i -> AGENTS.hostname(i).equals(hostname)).mapToObj(AGENTS::zone)
                .findFirst().orElseThrow();
    }

    private HttpResponse<String> post(String path, String json) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(api + path)).header("Content-Type", "application/json")
                .header("Authorization", bearer())
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private void patch(String path, String json) throws Exception {
        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(api + path))
                .header("Authorization", bearer())
                .header("Content-Type", "application/json").method("PATCH", HttpRequest.BodyPublishers.ofString(json))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
    }

    /** The first admin's token, stored for the API when the framework made it. */
    private String bearer() {
        return "Bearer " + Credentials.ofThisUser().get(api).orElseThrow();
    }
}
