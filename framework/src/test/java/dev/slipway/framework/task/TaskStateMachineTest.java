package dev.slipway.framework.task;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.framework.mesos.TaskUpdate;
import dev.slipway.zk.Instance;
import dev.slipway.zk.InstanceState;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class TaskStateMachineTest {
    static final Instant NOW = Instant.parse("2026-11-27T12:00:00Z");

    @Test
    void runningWithoutAHealthVerdictIsNotYetHealthy() {
        Instance next = TaskStateMachine.apply(launching(), update(InstanceState.RUNNING, null), NOW);
        assertThat(next.state()).isEqualTo(InstanceState.RUNNING);
        assertThat(next.healthy()).isFalse();
    }

    @Test
    void aHealthyRunningUpdateMakesTheInstanceHealthyAndARunningOneKeepsIt() {
        Instance healthy = TaskStateMachine.apply(launching(), update(InstanceState.RUNNING, true), NOW);
        assertThat(healthy.healthy()).isTrue();
        assertThat(TaskStateMachine.apply(healthy, update(InstanceState.RUNNING, null), NOW).healthy()).isTrue();
        assertThat(TaskStateMachine.apply(healthy, update(InstanceState.RUNNING, false), NOW).healthy()).isFalse();
    }

    @Test
    void anInstanceBeingStoppedStaysStoppingUntilItEnds() {
        Instance stopping = launching().with(InstanceState.KILLING, false, "stopping", NOW);
        Instance next = TaskStateMachine.apply(stopping, update(InstanceState.RUNNING, true), NOW);
        assertThat(next.state()).isEqualTo(InstanceState.KILLING);
        assertThat(next.healthy()).isFalse();
        assertThat(TaskStateMachine.apply(next, update(InstanceState.KILLED, null), NOW).state())
                .isEqualTo(InstanceState.KILLED);
    }

    @Test
    void anEndedInstanceNeverComesBack() {
        Instance failed = TaskStateMachine.apply(launching(), update(InstanceState.FAILED, null), NOW);
        assertThat(TaskStateMachine.apply(failed, update(InstanceState.RUNNING, true), NOW)).isEqualTo(failed);
    }

    @Test
    void theMessageOrElseTheReasonIsKept() {
        Instance failed = TaskStateMachine.apply(launching(),
                new TaskUpdate("t1", "agent", InstanceState.FAILED, null, "", "REASON_EXECUTOR_TERMINATED", "", null), NOW);
        assertThat(failed.message()).isEqualTo("REASON_EXECUTOR_TERMINATED");
    }

    private static Instance launching() {
        return new Instance("t1", "hello", "web", 1, 1, InstanceState.LAUNCHING, "agent", "127.0.0.1", 31000, false,
                "launching", NOW);
    }

    private static TaskUpdate update(InstanceState state, Boolean healthy) {
        return new TaskUpdate("t1", "agent", state, healthy, "", "", "SOURCE_EXECUTOR", new byte[16]);
    }
}
