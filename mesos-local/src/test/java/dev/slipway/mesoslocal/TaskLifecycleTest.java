package dev.slipway.mesoslocal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.mesos.v1.Protos.ExecutorID;
import org.apache.mesos.v1.Protos.Offer;
import org.apache.mesos.v1.Protos.TaskID;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.apache.mesos.v1.scheduler.Protos.Event;
import org.junit.jupiter.api.Test;

/** Tasks through their lives with a real executor process speaking the executor API. */
class TaskLifecycleTest extends MesosLocalTestBase {

    @Test
    void aLaunchedTaskRunsAndIsKilledThroughItsExecutor() throws Exception {
        TestScheduler scheduler = subscribe(TestScheduler.frameworkInfo().build());
        Offer offer = scheduler.awaitOffer();

        scheduler.launch(offer, task(offer, "web.1", "run", 0.5, 128));

        TaskStatus running = scheduler.awaitUpdate("web.1", TaskState.TASK_RUNNING);
        assertThat(running.hasUuid()).isTrue();
        assertThat(running.getSource()).isEqualTo(TaskStatus.Source.SOURCE_EXECUTOR);
        assertThat(running.getAgentId()).isEqualTo(offer.getAgentId());
        assertThat(running.getExecutorId().getValue()).isEqualTo("web.1");
        assertThat(running.getContainerStatus().getContainerId().getValue()).isNotEmpty();
        Path sandbox = sandbox(scheduler, offer, "web.1");
        String uuid = TestExecutor.uuid(running.getUuid());
        await().atMost(TestScheduler.WAIT).until(() -> lines(sandbox.resolve("events.log"))
                .contains("ACKNOWLEDGED web.1 " + uuid));
        scheduler.acknowledge(running);

        Offer rest = scheduler.awaitOffer();
        assertThat(scalar(rest, "cpus")).isCloseTo(AGENT_CPUS - 0.6, within(1e-9));
        assertThat(scalar(rest, "mem")).isEqualTo(AGENT_MEM - 192);
        assertThat(rest.getExecutorIdsList()).containsExactly(ExecutorID.newBuilder().setValue("web.1").build());

        scheduler.call(Call.newBuilder().setType(Call.Type.RECONCILE).setReconcile(Call.Reconcile.newBuilder()));
        TaskStatus reconciled = scheduler.awaitEvent(e -> e.getType() == Event.Type.UPDATE
                && e.getUpdate().getStatus().getReason() == TaskStatus.Reason.REASON_RECONCILIATION)
                .getUpdate().getStatus();
        assertThat(reconciled.getState()).isEqualTo(TaskState.TASK_RUNNING);
        assertThat(reconciled.hasUuid()).isFalse();

        scheduler.kill("web.1", offer.getAgentId());
        TaskStatus killed = scheduler.awaitUpdate("web.1", TaskState.TASK_KILLED);
        assertThat(killed.hasUuid()).isTrue();
        scheduler.acknowledge(killed);

        Event failure = scheduler.awaitEvent(e -> e.getType() == Event.Type.FAILURE);
        assertThat(failure.getFailure().getExecutorId().getValue()).isEqualTo("web.1");
        assertThat(failure.getFailure().getStatus()).isZero();
        await().atMost(TestScheduler.WAIT).until(() -> state().getJsonArray("slaves").getJsonObject(0)
                .getJsonObject("used_resources").getDouble("cpus") == 0.0);
        JsonObject framework = state().getJsonArray("frameworks").getJsonObject(0);
        assertThat(framework.getJsonArray("tasks")).isEmpty();
        assertThat(framework.getJsonArray("completed_tasks").getJsonObject(0).getString("state"))
                .isEqualTo("TASK_KILLED");
    }

    @Test
    void theExecutorGetsMesosEnvironmentAndRunsInItsSandbox() throws Exception {
        TestScheduler scheduler = subscribe(TestScheduler.frameworkInfo().setCheckpoint(true).build());
        Offer offer = scheduler.awaitOffer();

        scheduler.launch(offer, task(offer, "env.1", "run", 0.1, 32));
        scheduler.awaitUpdate("env.1", TaskState.TASK_RUNNING);

        Path sandbox = sandbox(scheduler, offer, "env.1").toRealPath();
        await().atMost(TestScheduler.WAIT).until(() -> Files.exists(sandbox.resolve("env.txt")));
        Map<String, String> env = lines(sandbox.resolve("env.txt")).stream()
                .map(line -> line.split("=", 2))
                .collect(Collectors.toMap(kv -> kv[0], kv -> kv[1]));
        assertThat(env).containsEntry("MESOS_FRAMEWORK_ID", scheduler.frameworkId().getValue())
                .containsEntry("MESOS_EXECUTOR_ID", "env.1")
                .containsEntry("MESOS_AGENT_ENDPOINT", "127.0.0.1:" + mesos.agentUri().getPort())
                .containsEntry("MESOS_SLAVE_ID", offer.getAgentId().getValue())
                // The framework checkpoints, but this agent does not recover: executors must not wait for it.
                .containsEntry("MESOS_CHECKPOINT", "0")
                .containsEntry("MESOS_HTTP_COMMAND_EXECUTOR", "0")
                .containsEntry("MESOS_EXECUTOR_SHUTDOWN_GRACE_PERIOD", "5secs")
                .containsEntry("SLIPWAY_TEST_SECRET", "s3cr3t")
                .containsEntry("PWD", sandbox.toString());
        assertThat(Path.of(env.get("MESOS_DIRECTORY")).toRealPath()).isEqualTo(sandbox);
        assertThat(env.get("MESOS_SANDBOX")).isEqualTo(env.get("MESOS_DIRECTORY"));
        assertThat(sandbox.getParent().getFileName().toString()).isEqualTo("runs");
        assertThat(sandbox.resolve("stdout")).exists();
        assertThat(sandbox.resolve("stderr")).exists();
    }

    @Test
    void anExecutorThatExitsFailsItsTasksWithAnUpdateFromTheAgent() throws Exception {
        TestScheduler scheduler = subscribe(TestScheduler.frameworkInfo().build());
        Offer offer = scheduler.awaitOffer();

        scheduler.launch(offer, task(offer, "crash.1", "exit", 0.1, 32));

        scheduler.acknowledge(scheduler.awaitUpdate("crash.1", TaskState.TASK_RUNNING));
        TaskStatus failed = scheduler.awaitUpdate("crash.1", TaskState.TASK_FAILED);
        assertThat(failed.getReason()).isEqualTo(TaskStatus.Reason.REASON_EXECUTOR_TERMINATED);
        assertThat(failed.getSource()).isEqualTo(TaskStatus.Source.SOURCE_AGENT);
        assertThat(failed.hasUuid()).isTrue();
        assertThat(scheduler.awaitEvent(e -> e.getType() == Event.Type.FAILURE).getFailure().getStatus())
                .isEqualTo(3 << 8);
        scheduler.acknowledge(failed);
    }

    @Test
    void reSubscriptionKeepsTheRunningTaskAndResendsTheUnacknowledgedUpdate() throws Exception {
        TestScheduler first = subscribe(failoverFramework());
        Offer offer = first.awaitOffer();
        first.launch(offer, task(offer, "worker.1", "run", 0.1, 32));
        TaskStatus running = first.awaitUpdate("worker.1", TaskState.TASK_RUNNING);

        first.disconnect();
        await().atMost(TestScheduler.WAIT).until(() -> !state().getJsonArray("frameworks").getJsonObject(0)
                .getBoolean("connected"));
        TestScheduler second = subscribe(failoverFramework().toBuilder().setId(first.frameworkId()).build());

        assertThat(second.frameworkId()).isEqualTo(first.frameworkId());
        TaskStatus resent = second.awaitUpdate("worker.1", TaskState.TASK_RUNNING);
        assertThat(resent.getUuid()).isEqualTo(running.getUuid());
        second.acknowledge(resent);

        second.call(Call.newBuilder().setType(Call.Type.RECONCILE).setReconcile(Call.Reconcile.newBuilder()
                .addTasks(Call.Reconcile.Task.newBuilder().setTaskId(TaskID.newBuilder().setValue("worker.1")))));
        TaskStatus reconciled = second.awaitEvent(e -> e.getType() == Event.Type.UPDATE
                && e.getUpdate().getStatus().getReason() == TaskStatus.Reason.REASON_RECONCILIATION)
                .getUpdate().getStatus();
        assertThat(reconciled.getState()).isEqualTo(TaskState.TASK_RUNNING);
        assertThat(lines(sandbox(second, offer, "worker.1").resolve("events.log"))).doesNotContain("SHUTDOWN");

        second.teardown();
        await().atMost(TestScheduler.WAIT).until(() -> lines(sandbox(second, offer, "worker.1")
                .resolve("events.log")).contains("SHUTDOWN"));
    }

    @Test
    void messagesGoBothWaysAndShutdownStopsTheExecutor() throws Exception {
        TestScheduler scheduler = subscribe(TestScheduler.frameworkInfo().build());
        Offer offer = scheduler.awaitOffer();
        scheduler.launch(offer, task(offer, "chat.1", "run", 0.1, 32));
        scheduler.acknowledge(scheduler.awaitUpdate("chat.1", TaskState.TASK_RUNNING));

        scheduler.call(Call.newBuilder().setType(Call.Type.MESSAGE).setMessage(Call.Message.newBuilder()
                .setAgentId(offer.getAgentId()).setExecutorId(ExecutorID.newBuilder().setValue("chat.1"))
                .setData(ByteString.copyFromUtf8("ping"))));
        Event echo = scheduler.awaitEvent(e -> e.getType() == Event.Type.MESSAGE);
        assertThat(echo.getMessage().getData().toStringUtf8()).isEqualTo("echo:ping");
        assertThat(echo.getMessage().getExecutorId().getValue()).isEqualTo("chat.1");

        scheduler.call(Call.newBuilder().setType(Call.Type.SHUTDOWN).setShutdown(Call.Shutdown.newBuilder()
                .setAgentId(offer.getAgentId()).setExecutorId(ExecutorID.newBuilder().setValue("chat.1"))));
        scheduler.awaitUpdate("chat.1", TaskState.TASK_KILLED);
        scheduler.awaitEvent(e -> e.getType() == Event.Type.FAILURE);
    }

    @Test
    void aTaskKilledBeforeItsExecutorSubscribesIsKilledByTheAgent() throws Exception {
        TestScheduler scheduler = subscribe(TestScheduler.frameworkInfo().build());
        Offer offer = scheduler.awaitOffer();

        scheduler.launch(offer, task(offer, "early.1", "run", 0.1, 32));
        scheduler.kill("early.1", offer.getAgentId());

        TaskStatus killed = scheduler.awaitUpdate("early.1", TaskState.TASK_KILLED);
        assertThat(killed.getReason()).isEqualTo(TaskStatus.Reason.REASON_TASK_KILLED_DURING_LAUNCH);
        assertThat(killed.getSource()).isEqualTo(TaskStatus.Source.SOURCE_AGENT);
        scheduler.acknowledge(killed);
        // The executor then subscribes with nothing to run and is shut down.
        scheduler.awaitEvent(e -> e.getType() == Event.Type.FAILURE);
        assertThat(lines(sandbox(scheduler, offer, "early.1").resolve("events.log"))).contains("SHUTDOWN");
    }

    @Test
    void closingMesosLocalShutsItsExecutorsDown() throws Exception {
        TestScheduler scheduler = subscribe(TestScheduler.frameworkInfo().build());
        Offer offer = scheduler.awaitOffer();
        scheduler.launch(offer, task(offer, "last.1", "run", 0.1, 32));
        TaskStatus running = scheduler.awaitUpdate("last.1", TaskState.TASK_RUNNING);
        long pid = running.getContainerStatus().getExecutorPid();

        mesos.close();

        assertThat(lines(sandbox(scheduler, offer, "last.1").resolve("events.log"))).contains("SHUTDOWN");
        await().atMost(TestScheduler.WAIT).until(() -> ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true));
    }

    private JsonObject state() throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(mesos.masterUri()
                .resolve("/master/state")).build(), HttpResponse.BodyHandlers.ofString());
        return new JsonObject(response.body());
    }

    static JsonArray tasks(JsonObject state) {
        return state.getJsonArray("frameworks").getJsonObject(0).getJsonArray("tasks");
    }
}
