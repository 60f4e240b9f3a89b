package dev.slipway.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.slipway.router.RouterScenario.Reply;
import dev.slipway.router.balance.Balance;
import io.vertx.core.MultiMap;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HttpRouterTest {
    private static final String A_UUID = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";

    @TempDir
    Path zooKeeperData;

    private RouterScenario scenario;

    @BeforeEach
    void startZooKeeper() {
        scenario = new RouterScenario(zooKeeperData);
    }

    @AfterEach
    void stopEverything() {
        scenario.close();
    }

    @Test
    void xRequestStartIsTheTimeTheRoutersClockGaveWhenTheRequestArrived() {
        AppInstance web = scenario.instance("web.1");
        scenario.route("hello", web);
        scenario.clock = Clock.fixed(Instant.parse("2026-11-27T12:00:00.123Z"), ZoneOffset.UTC);
        scenario.startRouter();

        scenario.get("hello.localhost", "/");

        assertThat(web.lastReceived().header("X-Request-Start"))
                .isEqualTo("t=" + Instant.parse("2026-11-27T12:00:00.123Z").toEpochMilli());
    }

    @Test
    void routesByHostToTheAppWithTheOriginalHostAndHerokusHeaders() {
        AppInstance web = scenario.instance("web.1");
        scenario.route("hello", web);
        HttpRouter router = scenario.startRouter();

        long before = System.currentTimeMillis();
        Reply reply = scenario.get("hello.localhost", "/greet?who=you",
                MultiMap.caseInsensitiveMultiMap().add("X-Forwarded-For", "203.0.113.9"));

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.body()).isEqualTo("web.1");
        AppInstance.Received seen = web.lastReceived();
        assertThat(seen.uri()).isEqualTo("/greet?who=you");
        assertThat(seen.header("Host")).isEqualTo("hello.localhost:" + router.port());
        assertThat(seen.header("X-Forwarded-For")).isEqualTo("203.0.113.9, 127.0.0.1");
        assertThat(seen.header("X-Forwarded-Proto")).isEqualTo("http");
        assertThat(seen.header("X-Forwarded-Port")).isEqualTo(Integer.toString(router.port()));
        assertThat(seen.header("Via")).isEqualTo("1.1 slipway");
        assertThat(seen.header("X-Request-Id")).matches(A_UUID);
        assertThat(seen.header("X-Request-Start")).startsWith("t=");
        assertThat(Long.parseLong(seen.header("X-Request-Start").substring(2))).isBetween(before, System.currentTimeMillis());
        assertThat(reply.header("X-Request-Id")).isEqualTo(seen.header("X-Request-Id"));
        assertThat(reply.header("Via")).isEqualTo("1.1 slipway");
    }

    @Test
    void keepsASaneIncomingRequestIdAndReplacesAnInsaneOne() {
        AppInstance web = scenario.instance("web.1");
        scenario.route("hello", web);
        scenario.startRouter();

        Reply kept = scenario.get("hello.localhost", "/", MultiMap.caseInsensitiveMultiMap().add("X-Request-Id", "abc-123_=/+XYZ"));
        assertThat(web.lastReceived().header("X-Request-Id")).isEqualTo("abc-123_=/+XYZ");
        assertThat(kept.header("X-Request-Id")).isEqualTo("abc-123_=/+XYZ");

        Reply replaced = scenario.get("hello.localhost", "/", MultiMap.caseInsensitiveMultiMap().add("X-Request-Id", "no spaces; please"));
        assertThat(web.lastReceived().header("X-Request-Id")).matches(A_UUID);
        assertThat(replaced.header("X-Request-Id")).isEqualTo(web.lastReceived().header("X-Request-Id"));
    }

    @Test
    void spreadsRequestsRoundRobinOverTheAppsEndpoints() {
        AppInstance one = scenario.instance("web.1");
        AppInstance two = scenario.instance("web.2");
        scenario.route("hello", one, two);
        scenario.configure = config -> config.withBalance(Balance.ROUND_ROBIN);
        scenario.startRouter();

        List<Reply> replies = scenario.getTimes(6, "hello.localhost", "/");

        Map<String, Long> perInstance = replies.stream().collect(Collectors.groupingBy(Reply::body, Collectors.counting()));
        assertThat(perInstance).containsOnly(Map.entry("web.1", 3L), Map.entry("web.2", 3L));
    }

    @Test
    void answers404ForAnUnknownHost() {
        scenario.route("hello", scenario.instance("web.1"));
        scenario.startRouter();

        Reply reply = scenario.get("nope.localhost", "/");

        assertThat(reply.status()).isEqualTo(404);
        assertThat(reply.header("Content-Type")).startsWith("text/html");
        assertThat(reply.body()).contains("No such app").contains("Request ID: " + reply.header("X-Request-Id"));
        assertThat(reply.header("X-Request-Id")).matches(A_UUID);
        assertThat(scenario.lines.all()).isEmpty();
    }

    @Test
    void answers503H14ForAnAppWithoutEndpoints() {
        scenario.route("idle", List.of());
        scenario.startRouter();

        Reply reply = scenario.get("idle.localhost", "/");

        assertThat(reply.status()).isEqualTo(503);
        assertThat(reply.header("Content-Type")).startsWith("text/html");
        assertThat(reply.body()).contains("Error code: H14");
        assertThat(scenario.lines.awaitLine("idle")).startsWith("at=error code=H14 desc=\"No web dynos running\" ");
    }

    @Test
    void retriesOnTheNextEndpointWhenOneRefusesConnections() {
        AppInstance one = scenario.instance("web.1");
        AppInstance two = scenario.instance("web.2");
        scenario.route("hello", List.of(), scenario.deadEndpoint("web.3"), one.endpoint(), two.endpoint());
        scenario.startRouter();

        List<Reply> replies = scenario.getTimes(6, "hello.localhost", "/");

        assertThat(replies).extracting(Reply::status).containsOnly(200);
        assertThat(replies).extracting(Reply::body).contains("web.1", "web.2");
    }

    @Test
    void retriesAPostWhoseConnectionWasRefusedWithItsBody() {
        AppInstance live = scenario.instance("web.2");
        scenario.route("hello", List.of(), scenario.deadEndpoint("web.1"), live.endpoint());
        scenario.startRouter();

        List<Reply> replies = List.of(scenario.post("hello.localhost", "/orders", "order 1"), scenario.post("hello.localhost", "/orders", "order 2"));

        assertThat(replies).extracting(Reply::status).containsOnly(200);
        assertThat(replies).extracting(Reply::body).containsExactly("order 1", "order 2");
    }

    @Test
    void answers503H21WhenNoEndpointAcceptsConnections() {
        scenario.route("hello", List.of(), scenario.deadEndpoint("web.1"), scenario.deadEndpoint("web.2"));
        scenario.startRouter();

        Reply reply = scenario.get("hello.localhost", "/");

        assertThat(reply.status()).isEqualTo(503);
        assertThat(reply.header("Content-Type")).startsWith("text/html");
        assertThat(reply.body()).contains("Error code: H21");
        assertThat(reply.header("X-Request-Id")).matches(A_UUID);
    }

    @Test
    void retriesAnIdempotentRequestWithoutBodyWhenTheInstanceHangsUp() {
        AppInstance crashing = scenario.hangingUpInstance("web.1");
        AppInstance live = scenario.instance("web.2");
        scenario.route("hello", crashing, live);
        // In turn, so that the first request goes to web.1.
        scenario.configure = config -> config.withBalance(Balance.ROUND_ROBIN);
        scenario.startRouter();

        Reply reply = scenario.get("hello.localhost", "/");

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.body()).isEqualTo("web.2");
        assertThat(crashing.received()).hasSize(1);
    }

    @Test
    void doesNotRetryAPostThatAnInstanceReceived() {
        AppInstance crashing = scenario.hangingUpInstance("web.1");
        AppInstance live = scenario.instance("web.2");
        scenario.route("hello", crashing, live);
        // In turn, so that the first request goes to web.1.
        scenario.configure = config -> config.withBalance(Balance.ROUND_ROBIN);
        scenario.startRouter();

        Reply reply = scenario.post("hello.localhost", "/orders", "order 1");

        assertThat(reply.status()).isEqualTo(502);
        assertThat(reply.body()).contains("Error code: H13");
        assertThat(crashing.received()).hasSize(1);
        assertThat(live.received()).isEmpty();
    }

    @Test
    void picksUpARouteWrittenAfterStart() {
        scenario.startRouter();
        assertThat(scenario.get("late.localhost", "/").status()).isEqualTo(404);

        scenario.route("late", scenario.instance("web.1"));

        await().atMost(Duration.ofSeconds(10))
                .until(() -> scenario.get("late.localhost", "/"), reply -> reply.status() == 200 && reply.body().equals("web.1"));
    }

    @Test
    void routesAnAppsCustomDomains() {
        scenario.route("shop", List.of("www.Example.test", "example.test"), scenario.instance("web.1").endpoint());
        scenario.startRouter();

        assertThat(scenario.get("WWW.example.TEST", "/").body()).isEqualTo("web.1");
        assertThat(scenario.get("example.test.", "/").body()).isEqualTo("web.1");
        assertThat(scenario.get("shop.localhost", "/").body()).isEqualTo("web.1");
        assertThat(scenario.get("other.example.test", "/").status()).isEqualTo(404);
    }

    @Test
    void answers503H12WhenTheAppDoesNotAnswerInTime() {
        AppInstance slow = scenario.silentInstance("web.1");
        scenario.route("slow", slow);
        scenario.startRouter(Duration.ofMillis(500));

        Reply reply = scenario.get("slow.localhost", "/");

        assertThat(reply.status()).isEqualTo(503);
        assertThat(reply.header("Content-Type")).startsWith("text/html");
        assertThat(reply.body()).contains("Error code: H12");
        assertThat(slow.received()).hasSize(1);
    }

    @Test
    void doesNotRetryARequestThatTimedOut() {
        AppInstance one = scenario.silentInstance("web.1");
        AppInstance two = scenario.silentInstance("web.2");
        scenario.route("slow", one, two);
        scenario.startRouter(Duration.ofMillis(300));

        assertThat(scenario.get("slow.localhost", "/").status()).isEqualTo(503);
        assertThat(one.received().size() + two.received().size()).isEqualTo(1);
    }

    @Test
    void proxiesAPostBodyIntact() {
        AppInstance web = scenario.instance("web.1");
        scenario.route("hello", web);
        scenario.startRouter();
        String body = "line of ünïcode and bytes 0123456789\n".repeat(4_000);

        Reply reply = scenario.post("hello.localhost", "/upload", body);

        assertThat(reply.status()).isEqualTo(200);
        assertThat(web.lastReceived().method()).isEqualTo("POST");
        assertThat(web.lastReceived().body()).isEqualTo(body);
        assertThat(reply.body()).isEqualTo(body);
    }

    @Test
    void answersAnExpectContinueUploadAndProxiesItsBody() {
        AppInstance web = scenario.instance("web.1");
        scenario.route("hello", web);
        scenario.startRouter();

        Reply reply = scenario.postExpectingContinue("hello.localhost", "/upload", "big upload");

        assertThat(reply.status()).isEqualTo(200);
        assertThat(web.lastReceived().body()).isEqualTo("big upload");
    }

    @Test
    void refusesAWebSocketUpgradeWhenTheAppCannotBeReached() {
        scenario.route("chat", List.of(), scenario.deadEndpoint("web.1"));
        scenario.route("idle", List.of());
        scenario.startRouter();

        assertThat(scenario.webSocketRefusal("chat.localhost")).isEqualTo(503);
        assertThat(scenario.webSocketRefusal("idle.localhost")).isEqualTo(503);
        assertThat(scenario.webSocketRefusal("nope.localhost")).isEqualTo(404);
    }

    @Test
    void passesWebSocketsThrough() {
        scenario.route("chat", scenario.instance("web.1"));
        scenario.startRouter();

        assertThat(scenario.webSocketEcho("chat.localhost", "hi")).isEqualTo("web.1:hi");
    }

    @Test
    void keepsRoutingWithTheLastKnownRoutesWhenZooKeeperStops() {
        AppInstance one = scenario.instance("web.1");
        AppInstance two = scenario.instance("web.2");
        scenario.route("hello", one, two);
        scenario.route("idle", List.of());
        scenario.startRouter();

        scenario.stopZooKeeper();

        Map<String, Long> perInstance = scenario.getTimes(4, "hello.localhost", "/").stream()
                .collect(Collectors.groupingBy(Reply::body, Collectors.counting()));
        assertThat(perInstance).containsOnly(Map.entry("web.1", 2L), Map.entry("web.2", 2L));
        assertThat(scenario.get("idle.localhost", "/").status()).isEqualTo(503);
        assertThat(scenario.get("nope.localhost", "/").status()).isEqualTo(404);
    }
}
