package dev.slipway.mesoslocal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vertx.core.json.JsonObject;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.mesos.v1.Protos.FrameworkInfo;
import org.apache.mesos.v1.Protos.Offer;
import org.apache.mesos.v1.Protos.TaskInfo;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.apache.mesos.v1.scheduler.Protos.Event;
import org.junit.jupiter.api.Test;

/** Agent recovery: a restart with recovery takes back the executors the last run left running. */
class RecoveryTest extends MesosLocalTestBase {

    @Override
    MesosLocalFlags flags() {
        return MesosLocalFlags.defaults().withRecovery(true).withExecutorReregistrationTimeout(Duration.ofSeconds(5));
    }

    @Test
    void aRestartReconnectsToTheRunningExecutorWithoutLaunchingAgain() throws Exception {
        TestScheduler scheduler = subscribe(checkpointingFramework().build());
        Offer offer = scheduler.awaitOffer();
        scheduler.launch(offer, task(offer, "web.1", "run", 0.5, 128));
        TaskStatus running = scheduler.awaitUpdate("web.1", TaskState.TASK_RUNNING);
        scheduler.acknowledge(running);
        Path events = sandbox(scheduler, offer, "web.1").resolve("events.log");
        long pid = running.getContainerStatus().getExecutorPid();

        restart();

        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).contains(true);
        await().atMost(TestScheduler.WAIT).until(() -> lines(events).stream()
                .filter(line -> line.startsWith("SUBSCRIBED")).count() == 2);
        TestScheduler again = subscribe(checkpointingFramework().setId(scheduler.frameworkId()).build());
        assertThat(again.frameworkId()).isEqualTo(scheduler.frameworkId());
        TaskStatus reconciled = reconcile(again);
        assertThat(reconciled.getTaskId().getValue()).isEqualTo("web.1");
        assertThat(reconciled.getState()).isEqualTo(TaskState.TASK_RUNNING);
        assertThat(lines(events).stream().filter(line -> line.startsWith("LAUNCH"))).hasSize(1);
        assertThat(state().getJsonArray("slaves").getJsonObject(0).getJsonObject("used_resources")
                .getDouble("cpus")).isEqualTo(0.6, org.assertj.core.api.Assertions.within(1e-9));

        again.kill("web.1", offer.getAgentId());
        again.acknowledge(again.awaitUpdate("web.1", TaskState.TASK_KILLED));
        await().atMost(TestScheduler.WAIT).until(() -> ProcessHandle.of(pid).isEmpty()
                || !ProcessHandle.of(pid).get().isAlive());
    }

    @Test
    void whatAnExecutorThatDiedWhileTheAgentWasDownLeftRunningIsKilledOnRecovery() throws Exception {
        TestScheduler scheduler = subscribe(checkpointingFramework().build());
        Offer offer = scheduler.awaitOffer();
        scheduler.launch(offer, task(offer, "web.3", "spawn", 0.5, 128));
        TaskStatus running = scheduler.awaitUpdate("web.3", TaskState.TASK_RUNNING);
        scheduler.acknowledge(running);
        ProcessHandle app = spawned(sandbox(scheduler, offer, "web.3"));
        ProcessHandle executor = ProcessHandle.of(running.getContainerStatus().getExecutorPid()).orElseThrow();

        mesos.close();
        executor.destroyForcibly();
        await().atMost(TestScheduler.WAIT).until(() -> !executor.isAlive());
        assertThat(app.isAlive()).as("no agent is there to kill it").isTrue();
        mesos = MesosLocal.start(config(), flags());

        await().atMost(TestScheduler.WAIT).until(() -> !app.isAlive() || zombie(app));
    }

    @Test
    void aStartWithoutRecoveryKillsTheExecutorsAndAppsTheCheckpointRecords() throws Exception {
        TestScheduler scheduler = subscribe(checkpointingFramework().build());
        Offer offer = scheduler.awaitOffer();
        scheduler.launch(offer, task(offer, "web.4", "spawn", 0.5, 128));
        TaskStatus running = scheduler.awaitUpdate("web.4", TaskState.TASK_RUNNING);
        scheduler.acknowledge(running);
        ProcessHandle app = spawned(sandbox(scheduler, offer, "web.4"));
        ProcessHandle executor = ProcessHandle.of(running.getContainerStatus().getExecutorPid()).orElseThrow();

        // As after a SIGKILL of `slipway up --recover`: the executors run on, recorded in the checkpoint.
        mesos.close();
        assertThat(executor.isAlive()).isTrue();
        mesos = MesosLocal.start(config(), flags().withRecovery(false));

        await().atMost(TestScheduler.WAIT).until(() -> (!app.isAlive() || zombie(app))
                && (!executor.isAlive() || zombie(executor)));
        assertThat(java.nio.file.Files.exists(dev.slipway.mesoslocal.agent.AgentCheckpoint.file(workDir))).isFalse();
    }

    private static ProcessHandle spawned(Path sandbox) {
        Path pidFile = sandbox.resolve("child.pid");
        await().atMost(TestScheduler.WAIT).until(() -> !lines(pidFile).isEmpty());
        return ProcessHandle.of(Long.parseLong(lines(pidFile).get(0).strip())).orElseThrow();
    }

    private static boolean zombie(ProcessHandle process) {
        List<String> stat = lines(Path.of("/proc", Long.toString(process.pid()), "stat"));
        return stat.isEmpty() || stat.get(0).substring(stat.get(0).lastIndexOf(')') + 2).startsWith("Z");
    }

    @Test
    void aTaskWhoseExecutorDiedWhileTheAgentWasDownIsReportedGone() throws Exception {
        TestScheduler scheduler = subscribe(checkpointingFramework().build());
        Offer offer = scheduler.awaitOffer();
        scheduler.launch(offer, task(offer, "web.2", "run", 0.5, 128));
        TaskStatus running = scheduler.awaitUpdate("web.2", TaskState.TASK_RUNNING);
        scheduler.acknowledge(running);
        ProcessHandle executor = ProcessHandle.of(running.getContainerStatus().getExecutorPid()).orElseThrow();

        mesos.close();
        executor.destroyForcibly();
        await().atMost(TestScheduler.WAIT).until(() -> !executor.isAlive());
        mesos = MesosLocal.start(config(), flags());

        TestScheduler again = subscribe(checkpointingFramework().setId(scheduler.frameworkId()).build());
        TaskStatus gone = again.awaitUpdate("web.2", TaskState.TASK_GONE);
        assertThat(gone.getSource()).isEqualTo(TaskStatus.Source.SOURCE_AGENT);
        assertThat(gone.getReason()).isEqualTo(TaskStatus.Reason.REASON_EXECUTOR_TERMINATED);
        again.acknowledge(gone);
        await().atMost(TestScheduler.WAIT).until(() -> state().getJsonArray("slaves").getJsonObject(0)
                .getJsonObject("used_resources").getDouble("cpus") == 0.0);
    }

    @Test
    void anExecutorThatDoesNotSubscribeAgainIsKilledAndItsTaskReportedGone() throws Exception {
        TestScheduler scheduler = subscribe(checkpointingFramework().build());
        Offer offer = scheduler.awaitOffer();
        TaskInfo task = task(offer, "web.3", "run", 0.5, 128);
        TaskInfo.Builder staysAway = task.toBuilder();
        staysAway.getExecutorBuilder().getCommandBuilder().getEnvironmentBuilder()
                .addVariables(variable("SLIPWAY_TEST_STAY_AWAY", "1"));
        scheduler.launch(offer, staysAway.build());
        TaskStatus running = scheduler.awaitUpdate("web.3", TaskState.TASK_RUNNING);
        scheduler.acknowledge(running);
        ProcessHandle executor = ProcessHandle.of(running.getContainerStatus().getExecutorPid()).orElseThrow();

        restart();
        TestScheduler again = subscribe(checkpointingFramework().setId(scheduler.frameworkId()).build());

        TaskStatus gone = again.awaitUpdate("web.3", TaskState.TASK_GONE);
        assertThat(gone.getReason()).isEqualTo(TaskStatus.Reason.REASON_EXECUTOR_REREGISTRATION_TIMEOUT);
        assertThat(gone.getMessage()).isEqualTo("Executor did not reregister within 5secs");
        assertThat(executor.isAlive()).isFalse();
        again.acknowledge(gone);
    }

    private static FrameworkInfo.Builder checkpointingFramework() {
        return TestScheduler.frameworkInfo().setCheckpoint(true).setFailoverTimeout(60);
    }

    private void restart() {
        mesos.close();
        mesos = MesosLocal.start(config(), flags());
    }

    private static TaskStatus reconcile(TestScheduler scheduler) throws Exception {
        scheduler.call(Call.newBuilder().setType(Call.Type.RECONCILE).setReconcile(Call.Reconcile.newBuilder()));
        return scheduler.awaitEvent(e -> e.getType() == Event.Type.UPDATE
                && e.getUpdate().getStatus().getReason() == TaskStatus.Reason.REASON_RECONCILIATION)
                .getUpdate().getStatus();
    }

    private JsonObject state() throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(mesos.masterUri().resolve("/master/state"))
                .build(), HttpResponse.BodyHandlers.ofString());
        return new JsonObject(response.body());
    }
}
