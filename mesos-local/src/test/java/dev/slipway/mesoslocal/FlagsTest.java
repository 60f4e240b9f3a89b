package dev.slipway.mesoslocal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import org.apache.mesos.v1.Protos.Offer;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.apache.mesos.v1.scheduler.Protos.Event;
import org.junit.jupiter.api.Test;

/** Behaviour that hangs on flags: heartbeats, the offer timeout, status update retries. */
class FlagsTest extends MesosLocalTestBase {
    @Override
    MesosLocalFlags flags() {
        return MesosLocalFlags.defaults().withHeartbeatInterval(Duration.ofMillis(300))
                .withOfferTimeout(Duration.ofSeconds(1))
                .withStatusUpdateRetry(Duration.ofMillis(200), Duration.ofMillis(400));
    }

    @Test
    void subscribersGetHeartbeatsAtTheAdvertisedInterval() throws Exception {
        TestScheduler scheduler = subscribe(TestScheduler.frameworkInfo().build());

        assertThat(scheduler.events().get(0).getSubscribed().getHeartbeatIntervalSeconds()).isEqualTo(0.3);
        scheduler.awaitEvent(e -> e.getType() == Event.Type.HEARTBEAT);
    }

    @Test
    void offersOutstandingPastTheOfferTimeoutAreRescindedAndMadeAgain() throws Exception {
        TestScheduler scheduler = subscribe(TestScheduler.frameworkInfo().build());
        Offer offer = scheduler.awaitOffer();

        Event rescind = scheduler.awaitEvent(e -> e.getType() == Event.Type.RESCIND);

        assertThat(rescind.getRescind().getOfferId()).isEqualTo(offer.getId());
        assertThat(scheduler.awaitOffer().getId()).isNotEqualTo(offer.getId());
    }

    @Test
    void anUnacknowledgedUpdateIsResentUntilAcknowledged() throws Exception {
        TestScheduler scheduler = subscribe(TestScheduler.frameworkInfo().build());
        Offer offer = scheduler.awaitOffer();
        scheduler.launch(offer, task(offer, "retry.1", "run", 0.1, 32));
        TaskStatus running = scheduler.awaitUpdate("retry.1", TaskState.TASK_RUNNING);

        await().atMost(TestScheduler.WAIT).until(() -> scheduler.updates("retry.1").size() >= 3);
        assertThat(scheduler.updates("retry.1")).allMatch(s -> s.getUuid().equals(running.getUuid()));

        scheduler.acknowledge(running);
        int afterAck = scheduler.updates("retry.1").size();
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3))
                .until(() -> scheduler.updates("retry.1").size() <= afterAck + 1);
    }

    @Test
    void aTakenPortIsReportedByName() {
        MesosLocalConfig clash = new MesosLocalConfig("127.0.0.1", mesos.masterUri().getPort(), 0, workDir, 1, 64, 0,
                31000, 31001, "127.0.0.1");

        assertThatThrownBy(() -> MesosLocal.start(clash))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("master port " + mesos.masterUri().getPort());
    }
}
