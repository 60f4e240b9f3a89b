package dev.slipway.executor.process;

import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs an instance in a container when its task names an image and a Docker engine answers, and
 * as a plain host process otherwise, saying why in one log line. The engine is looked for once,
 * when the first instance that names an image starts, so that an executor of a plain task never
 * touches Docker.
 */
public final class RunnerChoice implements ProcessRunner {
    private static final Logger LOG = LoggerFactory.getLogger(RunnerChoice.class);

    private final ProcessRunner plain;
    private final Supplier<Optional<? extends ProcessRunner>> findContainers;
    private boolean lookedForContainers;
    private ProcessRunner containers;

    /**
     * @param plain          runs instances as host processes
     * @param findContainers the container runner when a Docker engine answers, else empty; asked once
     */
    public RunnerChoice(ProcessRunner plain, Supplier<Optional<? extends ProcessRunner>> findContainers) {
        this.plain = plain;
        this.findContainers = findContainers;
    }

    @Override
    public RunningProcess start(Instance instance) throws IOException {
        String image = instance.spec().image();
        if (image == null) {
            LOG.info("task {} names no image: running {} as a plain process", instance.taskId(),
                    instance.spec().dyno());
            return plain.start(instance);
        }
        ProcessRunner runner = containers();
        if (runner == null) {
            LOG.warn("no Docker engine answers (DOCKER_HOST, else the local socket): running {} of task {} as a "
                    + "plain process instead of in a container of {}", instance.spec().dyno(), instance.taskId(), image);
            return plain.start(instance);
        }
        return runner.start(instance);
    }

    /**
     * Orphans are looked for only by an executor that runs its instance in a container: one of a
     * plain task never touches Docker.
     */
    @Override
    public List<String> removeOrphans(Set<String> liveTaskIds, Instant launchedBefore) throws IOException {
        ProcessRunner runner;
        synchronized (this) {
            runner = lookedForContainers ? containers : null;
        }
        return runner == null ? List.of() : runner.removeOrphans(liveTaskIds, launchedBefore);
    }

    /** The container runner, or null when no engine answered. */
    private synchronized ProcessRunner containers() {
        if (!lookedForContainers) {
            containers = findContainers.get().orElse(null);
            lookedForContainers = true;
        }
        return containers;
    }
}
