package dev.slipway.executor.task;

import java.util.Objects;

/**
 * The state of the executor's task.
 *
 * @param taskId   null while awaiting the launch
 * @param spec     null while awaiting the launch, or after a rejected one
 * @param stopping why the process is being stopped (what to report once it has ended)
 */
public record Task(Phase phase, String taskId, TaskSpec spec, Stopping stopping) {
    /** Why a process is being stopped. */
    public enum Stopping {
        /** It is not: an exit is the app's own. */
        NO,
        /** A KILL or SHUTDOWN: report TASK_KILLED. */
        KILL,
        /** It never bound its port: report TASK_FAILED (R10). */
        BOOT_TIMEOUT,
        /** The agent is gone: report nothing, exit. */
        AGENT_LOST
    }

    public Task {
        Objects.requireNonNull(phase, "phase");
        Objects.requireNonNull(stopping, "stopping");
    }

    public static Task awaitingLaunch() {
        return new Task(Phase.AWAITING_LAUNCH, null, null, Stopping.NO);
    }

    Task to(Phase next) {
        return new Task(next, taskId, spec, stopping);
    }

    Task stopping(Stopping why) {
        return new Task(Phase.KILLING, taskId, spec, why);
    }
}
