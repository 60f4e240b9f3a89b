package dev.slipway.executor.task;

import java.util.Objects;

/**
 * The state of the executor's task.
 *
 * @param taskId   null while awaiting the launch
 * @param spec     null while awaiting the launch, or after a rejected one
 * @param stopping why the process is being stopped (what to report once it has ended)
 * @param failure  when {@code stopping} is {@link Stopping#HEALTH_CHECK}: the message of the
 *                 TASK_FAILED to send once the process has ended; else null
 */
public record Task(Phase phase, String taskId, TaskSpec spec, Stopping stopping, String failure) {
    /** Why a process is being stopped. */
    public enum Stopping {
        /** It is not: an exit is the app's own. */
        NO,
        /** A KILL or SHUTDOWN: report TASK_KILLED. */
        KILL,
        /** Its health check never passed (R10) or failed too often: report TASK_FAILED with {@link #failure}. */
        HEALTH_CHECK,
        /** The agent is gone: report nothing, exit. */
        AGENT_LOST
    }

    public Task {
        Objects.requireNonNull(phase, "phase");
        Objects.requireNonNull(stopping, "stopping");
        if ((stopping == Stopping.HEALTH_CHECK) != (failure != null)) {
            throw new IllegalArgumentException("a failure message goes with a health-check stop, and only with it");
        }
    }

    public Task(Phase phase, String taskId, TaskSpec spec, Stopping stopping) {
        this(phase, taskId, spec, stopping, null);
    }

    public static Task awaitingLaunch() {
        return new Task(Phase.AWAITING_LAUNCH, null, null, Stopping.NO);
    }

    Task to(Phase next) {
        return new Task(next, taskId, spec, stopping, failure);
    }

    Task stopping(Stopping why) {
        return new Task(Phase.KILLING, taskId, spec, why, null);
    }

    /** Stopping because the health check failed: the task will fail with {@code reason}. */
    Task failingHealthCheck(String reason) {
        return new Task(Phase.KILLING, taskId, spec, Stopping.HEALTH_CHECK, reason);
    }
}
