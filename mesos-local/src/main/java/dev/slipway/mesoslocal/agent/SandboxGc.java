package dev.slipway.mesoslocal.agent;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's use of its {@link GarbageCollector}, as a Mesos agent's: what it schedules when an
 * executor exits, and the timers and the scan at start. Part of {@link Agent}; runs on the core
 * context.
 */
final class SandboxGc {
    // Logs under the agent's name.
    private static final Logger LOG = LoggerFactory.getLogger(Agent.class);
    /** How often the collector looks for paths due for removal. */
    private static final Duration TICK = Duration.ofSeconds(1);

    private final GarbageCollector gc;

    SandboxGc(GarbageCollector gc) {
        this.gc = gc;
    }

    /**
     * An exited executor's sandbox (its executor directory, all runs) is scheduled for removal after
     * {@code gc_delay}, and its framework's directory too once no executor of the framework is left
     * here, as a Mesos agent's {@code removeExecutor} and {@code removeFramework} do.
     *
     * @param framework the executor's framework as the agent has it now, null when it is gone
     */
    void exited(Executor executor, AgentFramework framework) {
        Path executorDirectory = executorDirectory(executor);
        if (framework != null && framework.executors.containsKey(executor.id())) {
            return; // a new run of the same executor id
        }
        gc.schedule(executorDirectory);
        if (framework == null || framework.executors.isEmpty()) {
            gc.schedule(executorDirectory.getParent().getParent());
        }
    }

    /** {@code .../executors/<id>}, above the executor's run directory {@code runs/<container id>}. */
    static Path executorDirectory(Executor executor) {
        return executor.directory.getParent().getParent();
    }

    /**
     * Starts collecting: what is due is removed (looked at every second), the disk usage of the work
     * directory's file system is checked every {@code diskWatchInterval}, and what earlier runs left
     * under {@code slaves/} (executor, framework and old agent directories) is scheduled by its newest
     * modification time, unless it holds one of the {@code live} executor directories.
     */
    void start(Vertx vertx, Context core, WorkerExecutor workers, Path workDir, Duration diskWatchInterval,
            String agentId, Supplier<Set<Path>> live) {
        vertx.setPeriodic(TICK.toMillis(), id -> gc.collect());
        long interval = diskWatchInterval.toMillis();
        vertx.setPeriodic(interval, interval, id -> {
            try {
                workers.executeBlocking(() -> diskUsage(workDir), false).onSuccess(usage -> {
                    if (usage >= 0) {
                        gc.checkDiskUsage(usage);
                    }
                });
            } catch (RejectedExecutionException e) {
                vertx.cancelTimer(id); // stopping: the workers are gone
            }
        });
        Path slaves = workDir.resolve("slaves");
        workers.executeBlocking(() -> SandboxScan.scan(slaves, agentId), false)
                .onComplete(scanned -> core.runOnContext(v -> {
                    if (scanned.failed()) {
                        LOG.warn("Could not look for old sandboxes under {}: {}", slaves, scanned.cause().toString());
                        return;
                    }
                    Set<Path> inUse = live.get();
                    int count = 0;
                    for (SandboxScan.Found found : scanned.result()) {
                        if (inUse.stream().noneMatch(dir -> dir.startsWith(found.path()))) {
                            gc.scheduleModifiedAt(found.path(), found.modified());
                            count++;
                        }
                    }
                    if (count > 0) {
                        LOG.info("Scheduled {} directories left by earlier runs for gc, by their modification time",
                                count);
                    }
                }));
    }

    /**
     * The share of the work directory's file system in use, as Mesos's {@code fs::usage}: blocks not
     * free over all blocks; -1 when unknown.
     */
    static double diskUsage(Path workDir) {
        try {
            FileStore store = Files.getFileStore(workDir);
            long total = store.getTotalSpace();
            return total <= 0 ? -1 : (double) (total - store.getUnallocatedSpace()) / total;
        } catch (IOException e) {
            LOG.warn("Failed to get disk usage of {}: {}", workDir, e.toString());
            return -1;
        }
    }
}
