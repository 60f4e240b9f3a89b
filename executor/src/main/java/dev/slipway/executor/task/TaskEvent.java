package dev.slipway.executor.task;

import dev.slipway.executor.process.ExitStatus;
import java.time.Duration;

/** What can happen to the task: from the agent, the process, the health probe. Plain data. */
public sealed interface TaskEvent {
    /** LAUNCH with a valid TaskSpec. */
    record Launch(String taskId, TaskSpec spec) implements TaskEvent {
    }

    /** LAUNCH whose TaskInfo.data is not a valid TaskSpec. */
    record LaunchRejected(String taskId, String reason) implements TaskEvent {
    }

    record ProcessStarted(String processName) implements TaskEvent {
    }

    record ProcessStartFailed(String reason) implements TaskEvent {
    }

    /** The health check passed for the first time; {@code detail} says what passed. */
    record Healthy(String detail) implements TaskEvent {
    }

    /** The health check did not pass before its deadline; {@code reason} is the task's failure message. */
    record BootTimedOut(String reason) implements TaskEvent {
    }

    /** The health check, having passed, failed too many times in a row; {@code reason} says how. */
    record Unhealthy(String reason) implements TaskEvent {
    }

    record ProcessExited(ExitStatus status) implements TaskEvent {
    }

    /** KILL; {@code grace} is the kill policy's grace period when the KILL had one, else null. */
    record KillRequested(String taskId, Duration grace) implements TaskEvent {
    }

    /** SHUTDOWN; the process must be gone within {@code bound}. */
    record ShutdownRequested(Duration bound) implements TaskEvent {
    }

    /** The agent is gone for good (no checkpointing, or the recovery timeout passed). */
    record AgentLost() implements TaskEvent {
    }
}
