package dev.slipway.router;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.router.RouterScenario.Reply;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Passive outlier detection through a running router: a frozen instance stops getting requests. */
class OutlierEjectionTest {
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
    void stopsSendingRequestsToAnInstanceThatAcceptsButNeverAnswersAfterThreeTimeouts() {
        AppInstance healthy = scenario.instance("web.1");
        // As a SIGSTOP'd process: connections are accepted, nothing ever answers.
        AppInstance frozen = scenario.silentInstance("web.2");
        scenario.route("hello", healthy, frozen);
        scenario.startRouter(Duration.ofMillis(300));

        List<Reply> replies = scenario.getTimes(20, "hello.localhost", "/");

        assertThat(frozen.received()).hasSize(3);
        assertThat(replies.stream().filter(reply -> reply.status() == 503)).hasSize(3);
        assertThat(replies.subList(6, 20)).allSatisfy(reply -> assertThat(reply.body()).isEqualTo("web.1"));
    }

    @Test
    void stopsSendingRequestsToAnInstanceThatKeepsHangingUp() {
        AppInstance healthy = scenario.instance("web.1");
        AppInstance crashing = scenario.hangingUpInstance("web.2");
        scenario.route("hello", healthy, crashing);
        scenario.startRouter();

        List<Reply> replies = scenario.getTimes(20, "hello.localhost", "/");

        // Each hang-up is retried on web.1 (a GET without a body), so every client gets an answer.
        assertThat(replies).allSatisfy(reply -> assertThat(reply.body()).isEqualTo("web.1"));
        assertThat(crashing.received()).hasSize(3);
    }

    @Test
    void neverEjectsTheLastEndpointOfAnApp() {
        AppInstance frozen = scenario.silentInstance("web.1");
        scenario.route("hello", frozen);
        scenario.startRouter(Duration.ofMillis(200));

        List<Reply> replies = scenario.getTimes(5, "hello.localhost", "/");

        assertThat(replies).allSatisfy(reply -> assertThat(reply.status()).isEqualTo(503));
        assertThat(frozen.received()).hasSize(5);
    }
}
