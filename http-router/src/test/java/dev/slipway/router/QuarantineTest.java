package dev.slipway.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.slipway.router.RouterScenario.Reply;
import dev.slipway.router.balance.Balance;
import dev.slipway.router.balance.Quarantine;
import dev.slipway.zk.Route.Endpoint;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** An instance that refuses a connection is quarantined for a few seconds, and the request goes to another. */
class QuarantineTest extends WithRouterScenario {
    private final Vertx vertx = Vertx.vertx();

    @AfterEach
    void stopTheRestartedInstance() {
        Futures.await(vertx.close());
    }

    @Test
    void anInstanceThatRefusedAConnectionGetsNoRequestForAWhileEvenOnceItAnswersAgain() {
        Endpoint refusing = scenario.deadEndpoint("web.1");
        AppInstance live = scenario.instance("web.2");
        scenario.route("hello", List.of(), refusing, live.endpoint());
        // In turn, so that the first request goes to web.1 (which refuses it).
        scenario.configure = config -> config.withBalance(Balance.ROUND_ROBIN);
        scenario.startRouter();

        long quarantinedUntil = System.nanoTime() + Quarantine.TIME.toNanos();
        Reply first = scenario.get("hello.localhost", "/");
        // The instance comes back on its port (a restart): the router keeps away from it until its quarantine ends.
        AtomicInteger reachedRefusing = new AtomicInteger();
        HttpServer back = Futures.await(vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(refusing.port()))
                .requestHandler(request -> {
                    reachedRefusing.incrementAndGet();
                    request.response().end("web.1");
                })
                .listen());
        List<Reply> during = scenario.getTimes(4, "hello.localhost", "/");
        boolean stillQuarantined = System.nanoTime() < quarantinedUntil;

        assertThat(first.status()).isEqualTo(200);
        assertThat(first.body()).isEqualTo("web.2");
        assertThat(scenario.lines.awaitLine("hello")).startsWith("at=info ").contains(" dyno=web.2 ");
        // (On a machine too busy to send four requests within the quarantine, there is nothing to check.)
        if (stillQuarantined) {
            assertThat(during).extracting(Reply::body).containsOnly("web.2");
            assertThat(reachedRefusing).hasValue(0);
        }
        await().atMost(Duration.ofSeconds(20))
                .until(() -> scenario.get("hello.localhost", "/").body().equals("web.1"));
        back.close();
    }

    @Test
    void aRequestNothingWasSentOfGoesOnToEveryInstanceUntilOneTakesIt() {
        Endpoint one = scenario.deadEndpoint("web.1");
        Endpoint two = scenario.deadEndpoint("web.2");
        AppInstance three = scenario.instance("web.3");
        scenario.route("hello", List.of(), one, two, three.endpoint());
        scenario.configure = config -> config.withBalance(Balance.ROUND_ROBIN);
        scenario.startRouter();

        Reply reply = scenario.post("hello.localhost", "/orders", "order 1");

        // Nothing was sent to web.1 or web.2, so even a POST goes on until an instance takes it.
        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.body()).isEqualTo("order 1");
        assertThat(scenario.lines.awaitLine("hello")).contains(" dyno=web.3 ");
    }
}
