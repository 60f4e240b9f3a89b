package dev.slipway.executor;

import static dev.slipway.executor.testing.TaskSpecBuilder.aWorker;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.slipway.executor.config.ExecutorConfig;
import dev.slipway.executor.process.PlainProcessRunner;
import dev.slipway.executor.testing.FakeAgent;
import java.io.IOException;
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

/**
 * The executor in-process against {@link FakeAgent}, for what a real agent (mesos-local) cannot be made
 * to do: drop the executor's connection while the executor lives, and withhold ACKNOWLEDGED. Everything
 * else the executor does end to end is in {@link ExecutorOnMesosLocalTest}.
 */
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
    void unacknowledgedUpdatesAndTheTaskAreResentWhenItSubscribesAgain() throws Exception {
        agent.autoAcknowledge(false);
        startExecutor(true);
        agent.launch(TASK, aWorker().command("exec sleep 30").build());
        TaskStatus starting = agent.nextUpdate();
        TaskStatus running = agent.nextUpdate();

        Call first = agent.subscriptions().get(0);
        assertThat(first.getFrameworkId().getValue()).isEqualTo(FakeAgent.FRAMEWORK_ID);
        assertThat(first.getExecutorId().getValue()).isEqualTo(TASK);
        assertThat(first.getSubscribe().getUnacknowledgedTasksCount()).isZero();
        assertThat(first.getSubscribe().getUnacknowledgedUpdatesCount()).isZero();

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
}
