package dev.slipway.executor.process;

import dev.slipway.executor.task.TaskSpec;
import java.nio.file.Path;
import java.util.Objects;

/**
 * What a {@link ProcessRunner} starts: one instance of an app, as one Mesos task.
 *
 * @param taskId the Mesos task id: a container runner finds the instance's container again by it
 * @param spec   what to run
 * @param appDir where the Mesos fetcher unpacked the slug ({@code $MESOS_SANDBOX/app})
 */
public record Instance(String taskId, TaskSpec spec, Path appDir) {
    public Instance {
        if (taskId == null || taskId.isBlank()) {
            throw new IllegalArgumentException("taskId must not be blank");
        }
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(appDir, "appDir");
    }
}
