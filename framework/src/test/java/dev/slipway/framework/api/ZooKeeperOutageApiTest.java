package dev.slipway.framework.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.slipway.zk.EmbeddedZooKeeper;
import dev.slipway.zk.Json;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The API tells the truth about its readiness ({@code /ready}: 200 only when ZooKeeper is connected
 * and Mesos subscribed; {@code /health} only says the process lives), and while ZooKeeper is unreachable answers 503 at once instead of holding
 * a worker thread for a minute; it recovers when ZooKeeper is back.
 */
class ZooKeeperOutageApiTest {
    @RegisterExtension
    static final ApiScenario api = new ApiScenario();

    @Test
    void readyIs503SayingWhatIsMissingAnd200OnlyWhenConnectedAndSubscribed() throws Exception {
        api.mesosSubscribed.set(false);

        HttpResponse<String> unsubscribed = api.get("/ready");

        assertThat(unsubscribed.statusCode()).isEqualTo(503);
        JsonNode reasons = Json.mapper().readTree(unsubscribed.body());
        assertThat(reasons.path("status").asText()).isEqualTo("unavailable");
        assertThat(reasons.path("zookeeper").asText()).isEqualTo("connected");
        assertThat(reasons.path("mesos").asText()).isEqualTo("disconnected");
        assertThat(reasons.path("reasons").get(0).asText()).contains("not subscribed to Mesos");
        assertThat(api.get("/health").statusCode()).isEqualTo(200);
        assertThat(Json.mapper().readTree(api.get("/health").body()).path("status").asText()).isEqualTo("alive");

        api.mesosSubscribed.set(true);
        HttpResponse<String> healthy = api.get("/ready");

        assertThat(healthy.statusCode()).isEqualTo(200);
        assertThat(Json.mapper().readTree(healthy.body())).isEqualTo(Json.mapper().readTree(
                "{\"status\":\"ok\",\"zookeeper\":\"connected\",\"mesos\":\"subscribed\"}"));
    }

    @Test
    void whileZooKeeperIsDownCallsAnswer503WithinFiveSecondsAndTheApiRecoversWhenItIsBack() throws Exception {
        api.mesosSubscribed.set(true);
        api.givenApp("steady");
        HttpResponse<Void> shipped = ApiScenario.HTTP.send(api.request("/apps/steady/log-lines")
                .header("Content-Type", "application/x-slipway-log-lines; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofString("app[web.1]: before the outage\n")).build(),
                HttpResponse.BodyHandlers.discarding());
        assertThat(shipped.statusCode()).isEqualTo(204);
        String connect = api.server.connectString();
        int port = Integer.parseInt(connect.substring(connect.lastIndexOf(':') + 1));

        api.server.close();
        try {
            Awaitility.await().atMost(5, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(50))
                    .until(() -> api.get("/ready").statusCode() == 503);
            assertThat(api.get("/health").statusCode()).isEqualTo(200);
            JsonNode health = Json.mapper().readTree(api.get("/ready").body());
            assertThat(health.path("zookeeper").asText()).isEqualTo("disconnected");
            assertThat(health.path("mesos").asText()).isEqualTo("subscribed");

            for (String call : new String[] {"GET /apps", "GET /apps/steady", "GET /apps/steady/releases",
                    "POST /apps", "PATCH /apps/steady/formation/web", "GET /apps/steady/builds"}) {
                long start = System.nanoTime();

                HttpResponse<String> answer = call.startsWith("GET") ? api.get(call.substring(4))
                        : call.startsWith("POST") ? api.post(call.substring(5), "{\"name\":\"during\"}")
                        : api.patch(call.substring(6), "{\"quantity\":2}");

                long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                assertThat(answer.statusCode()).as(call).isEqualTo(503);
                assertThat(answer.headers().firstValue("Content-Type")).as(call).contains("application/problem+json");
                assertThat(Json.mapper().readTree(answer.body()).path("detail").asText()).as(call)
                        .contains("ZooKeeper is unreachable");
                assertThat(millis).as(call).isLessThan(5_000);
            }
            HttpResponse<String> logs = api.get("/apps/steady/logs");
            assertThat(logs.statusCode()).isEqualTo(200);
            assertThat(logs.body()).contains("before the outage");
            long start = System.nanoTime();
            assertThat(api.get("/apps/unheard-of/logs").statusCode()).isEqualTo(503);
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(5_000);
        } finally {
            api.server = EmbeddedZooKeeper.start(api.dir.resolve("zk"), port);
        }

        Awaitility.await().atMost(30, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(100))
                .until(() -> api.get("/ready").statusCode() == 200);
        assertThat(api.get("/apps/steady").statusCode()).isEqualTo(200);
        assertThat(api.patch("/apps/steady/formation/web", "{\"quantity\":2}").statusCode()).isEqualTo(200);
        assertThat(api.apps.require("steady").value().formation()).containsEntry("web", 2);
        assertThat(api.apps.get("during")).isEmpty();
    }
}
