package dev.slipway.mesoslocal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.slipway.mesoslocal.fetcher.FileServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import org.apache.mesos.v1.Protos.CommandInfo;
import org.apache.mesos.v1.Protos.Offer;
import org.apache.mesos.v1.Protos.TaskInfo;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.scheduler.Protos.Event;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Sandboxes of exited executors are garbage collected after the gc delay; running ones never. */
class SandboxGcTest extends MesosLocalTestBase {
    private static final Duration GC_DELAY = Duration.ofSeconds(3);

    @Override
    MesosLocalFlags flags() {
        return MesosLocalFlags.defaults().withGcDelay(GC_DELAY);
    }

    @Test
    void theSandboxOfAnExitedExecutorIsRemovedAfterTheGcDelayWhileARunningOnesStays() throws Exception {
        TestScheduler scheduler = subscribe(TestScheduler.frameworkInfo().build());
        Offer offer = scheduler.awaitOffer();

        scheduler.launch(offer, task(offer, "gc.exits", "exit", 0.1, 32), task(offer, "gc.runs", "run", 0.1, 32));

        scheduler.awaitUpdate("gc.runs", TaskState.TASK_RUNNING);
        scheduler.awaitEvent(e -> e.getType() == Event.Type.FAILURE
                && e.getFailure().getExecutorId().getValue().equals("gc.exits"));
        Instant exited = Instant.now();
        Path exitedSandbox = executorDirectory(scheduler, offer, "gc.exits");
        Path runningSandbox = executorDirectory(scheduler, offer, "gc.runs");
        assertThat(exitedSandbox.resolve("runs/latest/stdout")).as("kept for the gc delay").exists();

        await().atMost(Duration.ofSeconds(20)).until(() -> !Files.exists(exitedSandbox));

        assertThat(Duration.between(exited, Instant.now()))
                .as("not before the gc delay (less the time the exit took to be seen)")
                .isGreaterThanOrEqualTo(GC_DELAY.minusSeconds(1));
        assertThat(runningSandbox.resolve("runs/latest/stdout")).as("its executor still runs").exists();
        assertThat(scheduler.updates("gc.runs")).extracting(s -> s.getState()).containsOnly(TaskState.TASK_RUNNING);
    }

    @Test
    void sandboxesLeftByAnEarlierRunAreScheduledByTheirModificationTimeAtStart() throws Exception {
        mesos.close();
        Path framework = workDir.resolve("slaves/old-agent-S0/frameworks/old-framework");
        Path stale = leftSandbox(framework.resolve("executors/stale"), Instant.now().minus(Duration.ofMinutes(2)));
        Path fresh = leftSandbox(framework.resolve("executors/fresh"), Instant.now());

        mesos = MesosLocal.start(config(), flags().withGcDelay(Duration.ofMinutes(1)));

        await().atMost(Duration.ofSeconds(20)).until(() -> !Files.exists(stale));
        assertThat(fresh.resolve("runs/c1/stderr")).as("modified less than the gc delay ago").exists();
        assertThat(workDir.resolve("slaves/old-agent-S0")).exists();
    }

    @Test
    void theSandboxesOfExitedLaunchesTakeNoDiskOnceCollected(@TempDir Path files) throws Exception {
        int launches = 6;
        int jarBytes = 8 * 1024 * 1024;
        Files.write(files.resolve("slipway-executor.jar"), new byte[jarBytes]);
        try (FileServer server = FileServer.serving(files)) {
            TestScheduler scheduler = subscribe(TestScheduler.frameworkInfo().build());
            Offer offer = scheduler.awaitOffer();
            TaskInfo[] tasks = new TaskInfo[launches];
            for (int i = 0; i < launches; i++) {
                String id = "gc.disk." + i;
                CommandInfo command = testExecutor(id).getCommand().toBuilder()
                        .addUris(CommandInfo.URI.newBuilder().setValue(server.url("slipway-executor.jar"))
                                .setExtract(false).setCache(true))
                        .build();
                tasks[i] = task(offer, id, "exit", 0.05, 16).toBuilder()
                        .setExecutor(testExecutor(id).toBuilder().setCommand(command)).build();
            }

            scheduler.launch(offer, tasks);

            await().atMost(Duration.ofSeconds(60)).until(() -> scheduler.events().stream()
                    .filter(e -> e.getType() == Event.Type.FAILURE).count() == launches);
            long exited = SandboxDiskUsageTest.diskUsage(workDir.resolve("slaves"), workDir.resolve("fetch"));
            Path executors = executorDirectory(scheduler, offer, "gc.disk.0").getParent();
            await().atMost(Duration.ofSeconds(20)).until(() -> !Files.exists(executors));
            long collected = SandboxDiskUsageTest.diskUsage(workDir.resolve("slaves"), workDir.resolve("fetch"));
            System.out.printf("sandbox disk usage of %d exited launches of a %d-byte cached jar: %d bytes under"
                    + " slaves/ and fetch/ before gc, %d bytes after (the fetcher cache's copy)%n", launches, jarBytes,
                    exited, collected);
            assertThat(collected).isEqualTo(jarBytes);
        }
    }

    private Path executorDirectory(TestScheduler scheduler, Offer offer, String executorId) {
        return sandbox(scheduler, offer, executorId).getParent().getParent();
    }

    private static Path leftSandbox(Path executor, Instant modified) throws Exception {
        Path run = Files.createDirectories(executor.resolve("runs/c1"));
        Files.writeString(run.resolve("stderr"), "an old run\n");
        for (Path path : new Path[] {run.resolve("stderr"), run, run.getParent(), executor}) {
            Files.setLastModifiedTime(path, FileTime.from(modified));
        }
        return executor;
    }
}
