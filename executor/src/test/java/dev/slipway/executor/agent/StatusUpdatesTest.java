package dev.slipway.executor.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.executor.task.Effect.Cause;
import dev.slipway.executor.task.Effect.Report;
import dev.slipway.executor.task.Effect.Status;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.apache.mesos.v1.Protos.AgentID;
import org.apache.mesos.v1.Protos.ExecutorID;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.apache.mesos.v1.executor.Protos.Call;
import org.junit.jupiter.api.Test;

class StatusUpdatesTest {
    private static final ExecutorID EXECUTOR = ExecutorID.newBuilder().setValue("hello.web.1.v3.x").build();
    private static final AgentID AGENT = AgentID.newBuilder().setValue("agent-1").build();
    private final StatusUpdates updates = new StatusUpdates(EXECUTOR,
            Clock.fixed(Instant.parse("2026-11-27T10:00:00.250Z"), ZoneOffset.UTC));

    @Test
    void everyUpdateIsAFreshlyIdentifiedExecutorUpdate() {
        Call.Update first = updates.record(new Report("t1", Status.RUNNING, "web.1 running", Cause.NONE), AGENT);
        Call.Update second = updates.record(new Report("t1", Status.RUNNING, "web.1 running", Cause.NONE), AGENT);

        TaskStatus status = first.getStatus();
        assertThat(status.getTaskId().getValue()).isEqualTo("t1");
        assertThat(status.getState()).isEqualTo(TaskState.TASK_RUNNING);
        assertThat(status.getSource()).isEqualTo(TaskStatus.Source.SOURCE_EXECUTOR);
        assertThat(status.getExecutorId()).isEqualTo(EXECUTOR);
        assertThat(status.getAgentId()).isEqualTo(AGENT);
        assertThat(status.getTimestamp()).isEqualTo(1_795_773_600.25);
        assertThat(status.getMessage()).isEqualTo("web.1 running");
        assertThat(status.hasHealthy()).isFalse();
        assertThat(status.hasReason()).isFalse();
        assertThat(status.getUuid().size()).isEqualTo(16);
        assertThat(second.getStatus().getUuid()).isNotEqualTo(status.getUuid());
    }

    @Test
    void mapsReportsToMesosStatesHealthAndReasons() {
        assertThat(updates.record(new Report("t", Status.HEALTHY, "listening on port 5000", Cause.HEALTH_CHECK), AGENT)
                .getStatus()).satisfies(s -> {
                    assertThat(s.getState()).isEqualTo(TaskState.TASK_RUNNING);
                    assertThat(s.getHealthy()).isTrue();
                    assertThat(s.getReason()).isEqualTo(TaskStatus.Reason.REASON_TASK_HEALTH_CHECK_STATUS_UPDATED);
                });
        assertThat(updates.record(new Report("t", Status.UNHEALTHY, "health check failed 3 times: GET / answered 500",
                Cause.HEALTH_CHECK), AGENT).getStatus()).satisfies(s -> {
                    assertThat(s.getState()).isEqualTo(TaskState.TASK_RUNNING);
                    assertThat(s.hasHealthy()).isTrue();
                    assertThat(s.getHealthy()).isFalse();
                    assertThat(s.getReason()).isEqualTo(TaskStatus.Reason.REASON_TASK_HEALTH_CHECK_STATUS_UPDATED);
                });
        assertThat(state(Status.STARTING)).isEqualTo(TaskState.TASK_STARTING);
        assertThat(state(Status.KILLING)).isEqualTo(TaskState.TASK_KILLING);
        assertThat(state(Status.FINISHED)).isEqualTo(TaskState.TASK_FINISHED);
        assertThat(state(Status.FAILED)).isEqualTo(TaskState.TASK_FAILED);
        assertThat(state(Status.KILLED)).isEqualTo(TaskState.TASK_KILLED);
        assertThat(updates.record(new Report("t", Status.FAILED, "exited with code 3", Cause.PROCESS_EXITED), AGENT)
                .getStatus().getReason()).isEqualTo(TaskStatus.Reason.REASON_COMMAND_EXECUTOR_FAILED);
    }

    @Test
    void keepsUpdatesInOrderUntilAcknowledged() {
        Call.Update starting = updates.record(new Report("t", Status.STARTING, "", Cause.NONE), AGENT);
        Call.Update running = updates.record(new Report("t", Status.RUNNING, "", Cause.NONE), AGENT);

        assertThat(updates.unacknowledged()).containsExactly(starting, running);
        assertThat(updates.acknowledge(starting.getStatus().getUuid())).isTrue();
        assertThat(updates.acknowledge(starting.getStatus().getUuid())).isFalse();
        assertThat(updates.unacknowledged()).containsExactly(running);
        assertThat(updates.acknowledge(running.getStatus().getUuid())).isTrue();
        assertThat(updates.isEmpty()).isTrue();
    }

    @Test
    void leavesOutTheAgentIdUntilItIsKnown() {
        assertThat(updates.record(new Report("t", Status.FAILED, "bad", Cause.TASK_INVALID), null)
                .getStatus().hasAgentId()).isFalse();
    }

    private TaskState state(Status status) {
        return updates.record(new Report("t", status, "", Cause.NONE), AGENT).getStatus().getState();
    }
}
