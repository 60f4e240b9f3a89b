package dev.slipway.mesoslocal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.apache.mesos.v1.Protos.CommandInfo;
import org.apache.mesos.v1.Protos.Offer;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.apache.mesos.v1.scheduler.Protos.Event;
import org.junit.jupiter.api.Test;

/** An executor that never subscribes is destroyed after the registration timeout. */
class RegistrationTimeoutTest extends MesosLocalTestBase {
    @Override
    MesosLocalFlags flags() {
        return MesosLocalFlags.defaults().withExecutorRegistrationTimeout(Duration.ofSeconds(1));
    }

    @Test
    void anExecutorThatNeverSubscribesFailsItsTaskAndIsKilled() throws Exception {
        TestScheduler scheduler = subscribe(TestScheduler.frameworkInfo().build());
        Offer offer = scheduler.awaitOffer();
        long started = System.nanoTime();

        scheduler.launch(offer, task(offer, "mute.1", "run", 0.1, 32).toBuilder()
                .setExecutor(executor("mute.1", CommandInfo.newBuilder().setValue("sleep 30").build())).build());

        TaskStatus failed = scheduler.awaitUpdate("mute.1", TaskState.TASK_FAILED);
        assertThat(failed.getReason()).isEqualTo(TaskStatus.Reason.REASON_EXECUTOR_REGISTRATION_TIMEOUT);
        assertThat(failed.getMessage()).isEqualTo("Executor did not register within 1secs");
        Event failure = scheduler.awaitEvent(e -> e.getType() == Event.Type.FAILURE);
        assertThat(failure.getFailure().getStatus()).isEqualTo(9);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(15));
    }
}
