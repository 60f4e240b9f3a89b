package dev.slipway.mesoslocal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.mesos.v1.Protos.Offer;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.junit.jupiter.api.Test;

/**
 * An executor's death takes what it started with it, as a Mesos containerizer's does (issue 12):
 * the agent kills the executor's whole unit, then reports its tasks failed.
 */
class ContainmentTest extends MesosLocalTestBase {

    @Test
    void aSigkilledExecutorsAppProcessIsKilledAndItsTaskReportedFailedByTheAgent() throws Exception {
        TestScheduler scheduler = subscribe(TestScheduler.frameworkInfo().build());
        Offer offer = scheduler.awaitOffer();
        scheduler.launch(offer, task(offer, "web.1", "spawn", 0.1, 32));
        TaskStatus running = scheduler.awaitUpdate("web.1", TaskState.TASK_RUNNING);
        scheduler.acknowledge(running);
        ProcessHandle app = child(sandbox(scheduler, offer, "web.1"));
        ProcessHandle executor = ProcessHandle.of(running.getContainerStatus().getExecutorPid()).orElseThrow();

        executor.destroyForcibly();

        TaskStatus failed = scheduler.awaitUpdate("web.1", TaskState.TASK_FAILED);
        assertThat(failed.getReason()).isEqualTo(TaskStatus.Reason.REASON_EXECUTOR_TERMINATED);
        assertThat(failed.getSource()).isEqualTo(TaskStatus.Source.SOURCE_AGENT);
        assertGone(app);
    }

    @Test
    void anAppProcessInASessionOfItsOwnIsKilledTooWhereTheFreezerCgroupHoldsTheExecutor() throws Exception {
        assumeTrue(Files.isDirectory(Path.of("/sys/fs/cgroup/freezer/slipway")),
                "needs a cgroup v1 freezer hierarchy this process may write (Linux, root)");
        TestScheduler scheduler = subscribe(TestScheduler.frameworkInfo().build());
        Offer offer = scheduler.awaitOffer();
        scheduler.launch(offer, task(offer, "worker.1", "spawn-session", 0.1, 32));
        TaskStatus running = scheduler.awaitUpdate("worker.1", TaskState.TASK_RUNNING);
        scheduler.acknowledge(running);
        ProcessHandle app = child(sandbox(scheduler, offer, "worker.1"));

        ProcessHandle.of(running.getContainerStatus().getExecutorPid()).orElseThrow().destroyForcibly();

        scheduler.awaitUpdate("worker.1", TaskState.TASK_FAILED);
        assertGone(app);
    }

    /** Killed, and at most a zombie waiting for init (its new parent) to reap it: no socket, no port. */
    private static void assertGone(ProcessHandle app) {
        Path stat = Path.of("/proc", Long.toString(app.pid()), "stat");
        await().atMost(Duration.ofSeconds(5)).until(() -> !app.isAlive() || zombie(stat));
    }

    private static boolean zombie(Path stat) {
        try {
            String text = Files.readString(stat);
            return text.substring(text.lastIndexOf(')') + 2).startsWith("Z");
        } catch (java.io.IOException e) {
            return true;
        }
    }

    private static ProcessHandle child(Path sandbox) {
        Path pidFile = sandbox.resolve("child.pid");
        await().atMost(Duration.ofSeconds(20)).until(() -> Files.exists(pidFile) && Files.size(pidFile) > 0);
        try {
            return ProcessHandle.of(Long.parseLong(Files.readString(pidFile).strip())).orElseThrow();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
