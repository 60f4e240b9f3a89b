package dev.slipway.executor;

import static dev.slipway.executor.testing.TaskSpecBuilder.aWebInstance;
import static dev.slipway.executor.testing.TaskSpecBuilder.aWorker;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import dev.slipway.executor.config.ExecutorConfig;
import dev.slipway.executor.process.PlainProcessRunner;
import dev.slipway.executor.testing.FakeAgent;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.apache.mesos.v1.executor.Protos.Call;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The executor end to end: real processes, real sockets, an agent that speaks the executor API. */
class SlipwayExecutorTest {
    private static final String TASK = "hello.web.1.v3.abc";

    @TempDir
    Path sandbox;
    private FakeAgent agent;
    private SlipwayExecutor executor;
    private final List<String> appLines = new CopyOnWriteArrayList<>();

    @BeforeEach
    void agentAndSlug() throws IOException {
        agent = new FakeAgent();
        Files.createDirectories(sandbox.resolve("app/.profile.d"));
    }

    @AfterEach
    void stop() {
        if (executor != null) {
            executor.stopProcessNow(Duration.ZERO);
            executor.close();
        }
        agent.close();
    }

    private void startExecutor(boolean checkpoint) {
        Map<String, String> env = new HashMap<>();
        env.put("MESOS_AGENT_ENDPOINT", agent.endpoint());
        env.put("MESOS_FRAMEWORK_ID", FakeAgent.FRAMEWORK_ID);
        env.put("MESOS_EXECUTOR_ID", TASK);
        env.put("MESOS_SANDBOX", sandbox.toString());
        env.put("MESOS_CHECKPOINT", checkpoint ? "1" : "0");
        env.put("MESOS_RECOVERY_TIMEOUT", "5secs");
        env.put("MESOS_SUBSCRIPTION_BACKOFF_MAX", "100ms");
        env.put("MESOS_EXECUTOR_SHUTDOWN_GRACE_PERIOD", "3secs");
        ExecutorConfig config = ExecutorConfig.fromEnvironment(env);
        PlainProcessRunner runner = new PlainProcessRunner(Map.of("PATH", System.getenv("PATH")),
                (dyno, channel, line) -> appLines.add(dyno + ": " + line));
        executor = new SlipwayExecutor(config, runner, Clock.systemUTC());
        executor.start();
        await().atMost(Duration.ofSeconds(10)).until(agent::connected);
    }

    @Test
    void subscribesWithItsIdsAndNothingUnacknowledged() {
        startExecutor(false);

        Call subscribe = agent.subscriptions().get(0);
        assertThat(subscribe.getType()).isEqualTo(Call.Type.SUBSCRIBE);
        assertThat(subscribe.getFrameworkId().getValue()).isEqualTo(FakeAgent.FRAMEWORK_ID);
        assertThat(subscribe.getExecutorId().getValue()).isEqualTo(TASK);
        assertThat(subscribe.getSubscribe().getUnacknowledgedTasksCount()).isZero();
        assertThat(subscribe.getSubscribe().getUnacknowledgedUpdatesCount()).isZero();
    }

    @Test
    void aWebInstanceIsStartingRunningHealthyThenKilledAndTheExecutorExits() throws Exception {
        try (ServerSocket port = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            startExecutor(false);
            agent.launch(TASK, aWebInstance(port.getLocalPort(), 30)
                    .command("echo \"listening on $PORT as $DYNO\"; exec sleep 30").build());

            TaskStatus starting = agent.nextUpdate();
            assertThat(starting.getState()).isEqualTo(TaskState.TASK_STARTING);
            assertThat(starting.getSource()).isEqualTo(TaskStatus.Source.SOURCE_EXECUTOR);
            assertThat(starting.getExecutorId().getValue()).isEqualTo(TASK);
            assertThat(starting.getAgentId().getValue()).isEqualTo(FakeAgent.AGENT_ID);
            assertThat(starting.getUuid().size()).isEqualTo(16);
            assertThat(starting.getTimestamp()).isPositive();
            TaskStatus running = agent.nextUpdate();
            assertThat(running.getState()).isEqualTo(TaskState.TASK_RUNNING);
            assertThat(running.hasHealthy()).isFalse();
            TaskStatus healthy = agent.nextUpdate();
            assertThat(healthy.getState()).isEqualTo(TaskState.TASK_RUNNING);
            assertThat(healthy.getHealthy()).isTrue();
            assertThat(healthy.getMessage()).isEqualTo("listening on port " + port.getLocalPort());
            assertThat(appLines).contains("web.1: listening on " + port.getLocalPort() + " as web.1");

            agent.kill(TASK);

            assertThat(agent.nextUpdate().getState()).isEqualTo(TaskState.TASK_KILLING);
            TaskStatus killed = agent.nextUpdate();
            assertThat(killed.getState()).isEqualTo(TaskState.TASK_KILLED);
            assertThat(killed.getMessage()).isEqualTo("killed: killed by signal 15");
            assertThat(executor.exitCode().get(5, TimeUnit.SECONDS)).isZero();
        }
    }

    @Test
    void aWebInstanceThatNeverBindsItsPortFailsAfterTheBootTimeout() throws Exception {
        int port = freePort();
        startExecutor(false);
        agent.launch(TASK, aWebInstance(port, 1).command("exec sleep 30").build());

        assertThat(agent.nextUpdate().getState()).isEqualTo(TaskState.TASK_STARTING);
        assertThat(agent.nextUpdate().getState()).isEqualTo(TaskState.TASK_RUNNING);
        TaskStatus failed = agent.nextUpdate();
        assertThat(failed.getState()).isEqualTo(TaskState.TASK_FAILED);
        assertThat(failed.getMessage()).isEqualTo("web process failed to bind to " + port + " within 1 s");
        assertThat(failed.getReason()).isEqualTo(TaskStatus.Reason.REASON_TASK_HEALTH_CHECK_STATUS_UPDATED);
        assertThat(executor.exitCode().get(5, TimeUnit.SECONDS)).isZero();
    }

    @Test
    void aProcessThatExitsEndsTheTaskWithItsExitCode() throws Exception {
        startExecutor(false);
        agent.launch(TASK, aWorker().command("echo working; exit 3").build());

        assertThat(agent.nextUpdate().getState()).isEqualTo(TaskState.TASK_STARTING);
        assertThat(agent.nextUpdate().getState()).isEqualTo(TaskState.TASK_RUNNING);
        TaskStatus failed = agent.nextUpdate();
        assertThat(failed.getState()).isEqualTo(TaskState.TASK_FAILED);
        assertThat(failed.getMessage()).isEqualTo("exited with code 3");
        assertThat(executor.exitCode().get(5, TimeUnit.SECONDS)).isZero();
        await().atMost(Duration.ofSeconds(5)).until(() -> appLines.contains("worker.1: working"));
    }

    @Test
    void anInvalidTaskSpecFailsTheTask() throws Exception {
        startExecutor(false);
        agent.launch(TASK, ByteString.copyFrom("{\"app\": \"hello\"}", StandardCharsets.UTF_8));

        TaskStatus failed = agent.nextUpdate();
        assertThat(failed.getState()).isEqualTo(TaskState.TASK_FAILED);
        assertThat(failed.getReason()).isEqualTo(TaskStatus.Reason.REASON_TASK_INVALID);
        assertThat(failed.getMessage()).startsWith("invalid TaskSpec:");
        assertThat(executor.exitCode().get(5, TimeUnit.SECONDS)).isZero();
    }

    @Test
    void shutdownKillsTheTaskAndExits() throws Exception {
        startExecutor(false);
        agent.launch(TASK, aWorker().command("exec sleep 30").build());
        assertThat(agent.nextUpdate().getState()).isEqualTo(TaskState.TASK_STARTING);
        assertThat(agent.nextUpdate().getState()).isEqualTo(TaskState.TASK_RUNNING);

        agent.shutdown();

        assertThat(agent.nextUpdate().getState()).isEqualTo(TaskState.TASK_KILLING);
        assertThat(agent.nextUpdate().getState()).isEqualTo(TaskState.TASK_KILLED);
        assertThat(executor.exitCode().get(5, TimeUnit.SECONDS)).isZero();
    }

    @Test
    void aFrameworkWithoutTheKillingCapabilityGetsNoTaskKilling() throws Exception {
        agent.frameworkKnowsKilling(false);
        startExecutor(false);
        agent.launch(TASK, aWorker().command("exec sleep 30").build());
        agent.nextUpdate();
        agent.nextUpdate();

        agent.kill(TASK);

        assertThat(agent.nextUpdate().getState()).isEqualTo(TaskState.TASK_KILLED);
        assertThat(executor.exitCode().get(5, TimeUnit.SECONDS)).isZero();
        assertThat(agent.allUpdates()).extracting(TaskStatus::getState).doesNotContain(TaskState.TASK_KILLING);
    }

    @Test
    void aKillPolicysGracePeriodBoundsTheKill() throws Exception {
        startExecutor(false);
        agent.launch(TASK, aWorker().killGraceSeconds(30).command("trap '' TERM; while true; do sleep 0.1; done")
                .build());
        agent.nextUpdate();
        agent.nextUpdate();

        agent.kill(TASK, Duration.ofMillis(300).toNanos());

        assertThat(agent.nextUpdate().getState()).isEqualTo(TaskState.TASK_KILLING);
        TaskStatus killed = agent.nextUpdate();
        assertThat(killed.getState()).isEqualTo(TaskState.TASK_KILLED);
        assertThat(killed.getMessage()).isEqualTo("killed: killed by signal 9");
    }

    @Test
    void unacknowledgedUpdatesAndTheTaskAreResentWhenItSubscribesAgain() throws Exception {
        agent.autoAcknowledge(false);
        startExecutor(true);
        agent.launch(TASK, aWorker().command("exec sleep 30").build());
        TaskStatus starting = agent.nextUpdate();
        TaskStatus running = agent.nextUpdate();

        agent.disconnect();

        await().atMost(Duration.ofSeconds(10)).until(() -> agent.subscriptions().size() == 2);
        Call.Subscribe again = agent.subscriptions().get(1).getSubscribe();
        assertThat(again.getUnacknowledgedUpdatesList()).extracting(u -> u.getStatus().getUuid())
                .containsExactly(starting.getUuid(), running.getUuid());
        assertThat(again.getUnacknowledgedTasksList()).extracting(t -> t.getTaskId().getValue())
                .containsExactly(TASK);
        // ...and as UPDATE calls once subscribed, with the same UUIDs.
        assertThat(agent.nextUpdate().getUuid()).isEqualTo(starting.getUuid());
        assertThat(agent.nextUpdate().getUuid()).isEqualTo(running.getUuid());

        agent.acknowledge(starting);
        agent.acknowledge(running);
        agent.kill(TASK);
        TaskStatus killing = agent.nextUpdate();
        TaskStatus killed = agent.nextUpdate();
        assertThat(killed.getState()).isEqualTo(TaskState.TASK_KILLED);
        assertThat(executor.exitCode()).isNotDone();

        agent.acknowledge(killing);
        agent.acknowledge(killed);

        assertThat(executor.exitCode().get(5, TimeUnit.SECONDS)).isZero();
    }

    @Test
    void withoutCheckpointingALostAgentKillsTheTaskAndTheExecutorExits() throws Exception {
        startExecutor(false);
        agent.launch(TASK, aWorker().command("echo $$; exec sleep 30").build());
        agent.nextUpdate();
        agent.nextUpdate();
        await().atMost(Duration.ofSeconds(5)).until(() -> !appLines.isEmpty());
        long pid = Long.parseLong(appLines.get(0).substring("worker.1: ".length()));

        agent.disconnect();

        assertThat(executor.exitCode().get(10, TimeUnit.SECONDS)).isEqualTo(1);
        await().atMost(Duration.ofSeconds(5))
                .until(() -> !ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
        assertThat(agent.subscriptions()).hasSize(1);
    }

    @Test
    void shutdownBoundLeavesAMarginOfTheAgentsGracePeriod() {
        assertThat(SlipwayExecutor.shutdownBound(Duration.ofSeconds(5))).isEqualTo(Duration.ofSeconds(4));
        assertThat(SlipwayExecutor.shutdownBound(Duration.ofSeconds(2))).isEqualTo(Duration.ofMillis(1500));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
