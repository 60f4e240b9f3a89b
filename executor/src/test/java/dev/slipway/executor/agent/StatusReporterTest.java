package dev.slipway.executor.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.executor.task.Effect.Cause;
import dev.slipway.executor.task.Effect.Report;
import dev.slipway.executor.task.Effect.Status;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.apache.mesos.v1.Protos.AgentID;
import org.apache.mesos.v1.Protos.AgentInfo;
import org.apache.mesos.v1.Protos.ExecutorID;
import org.apache.mesos.v1.Protos.ExecutorInfo;
import org.apache.mesos.v1.Protos.FrameworkInfo;
import org.apache.mesos.v1.Protos.TaskID;
import org.apache.mesos.v1.Protos.TaskInfo;
import org.apache.mesos.v1.executor.Protos.Call;
import org.apache.mesos.v1.executor.Protos.Event;
import org.junit.jupiter.api.Test;

class StatusReporterTest {
    private static final TaskInfo TASK = TaskInfo.newBuilder().setName("hello web.1 v3")
            .setTaskId(TaskID.newBuilder().setValue("t1")).setAgentId(AgentID.newBuilder().setValue("a1")).build();
    private final List<Call> sent = new ArrayList<>();
    private final Calls calls = new Calls("fw", "t1");
    private final StatusReporter reporter = new StatusReporter(calls,
            new StatusUpdates(calls.executorId(), Clock.systemUTC()), sent::add);

    @Test
    void holdsUpdatesUntilSubscribedThenSendsThemAsUpdateCalls() {
        reporter.subscribed(subscribed(true));
        reporter.disconnected();
        reporter.report(report(Status.STARTING), false);
        assertThat(sent).isEmpty();

        reporter.subscribed(subscribed(true));

        assertThat(sent).singleElement().satisfies(call -> {
            assertThat(call.getType()).isEqualTo(Call.Type.UPDATE);
            assertThat(call.getUpdate().getStatus().getState().name()).isEqualTo("TASK_STARTING");
            assertThat(call.getUpdate().getStatus().getAgentId().getValue()).isEqualTo("agent-1");
        });
    }

    @Test
    void subscribesWithTheTaskUntilOneOfItsUpdatesIsAcknowledged() {
        reporter.subscribed(subscribed(true));
        reporter.report(report(Status.STARTING), false);
        Call.Subscribe before = reporter.subscribeCall(TASK).getSubscribe();

        assertThat(before.getUnacknowledgedTasksList()).containsExactly(TASK);
        assertThat(before.getUnacknowledgedUpdatesCount()).isEqualTo(1);

        reporter.acknowledged(ack(sent.get(0)));
        Call.Subscribe after = reporter.subscribeCall(TASK).getSubscribe();

        assertThat(after.getUnacknowledgedTasksCount()).isZero();
        assertThat(after.getUnacknowledgedUpdatesCount()).isZero();
    }

    @Test
    void knowsWhenTheTerminalUpdateIsAcknowledged() {
        reporter.subscribed(subscribed(true));
        reporter.report(report(Status.RUNNING), false);
        reporter.report(report(Status.FINISHED), true);

        assertThat(reporter.acknowledged(ack(sent.get(0)))).isFalse();
        assertThat(reporter.acknowledged(ack(sent.get(1)))).isTrue();
    }

    @Test
    void sendsNoTaskKillingToAFrameworkWithoutTheCapability() {
        reporter.subscribed(subscribed(false));

        assertThat(reporter.report(report(Status.KILLING), false)).isFalse();
        assertThat(reporter.report(report(Status.KILLED), true)).isTrue();
        assertThat(sent).hasSize(1);
    }

    private static Report report(Status status) {
        return new Report("t1", status, "", Cause.NONE);
    }

    private static Event.Acknowledged ack(Call update) {
        return Event.Acknowledged.newBuilder().setTaskId(update.getUpdate().getStatus().getTaskId())
                .setUuid(update.getUpdate().getStatus().getUuid()).build();
    }

    private static Event.Subscribed subscribed(boolean killingCapable) {
        FrameworkInfo.Builder framework = FrameworkInfo.newBuilder().setUser("u").setName("slipway");
        if (killingCapable) {
            framework.addCapabilities(FrameworkInfo.Capability.newBuilder()
                    .setType(FrameworkInfo.Capability.Type.TASK_KILLING_STATE));
        }
        return Event.Subscribed.newBuilder()
                .setExecutorInfo(ExecutorInfo.newBuilder().setExecutorId(ExecutorID.newBuilder().setValue("t1")))
                .setFrameworkInfo(framework)
                .setAgentInfo(AgentInfo.newBuilder().setHostname("localhost")
                        .setId(AgentID.newBuilder().setValue("agent-1")))
                .build();
    }
}
