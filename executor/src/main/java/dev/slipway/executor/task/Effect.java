package dev.slipway.executor.task;

import java.time.Duration;

/** What the state machine asks to be done; carried out by the executor, in order. */
public sealed interface Effect {
    /** Send a status update for {@code taskId}. */
    record Report(String taskId, Status status, String message, Cause cause) implements Effect {
        public Report {
            if (message == null) {
                message = "";
            }
        }
    }

    record StartProcess(TaskSpec spec) implements Effect {
    }

    /** Start checking the instance's health as {@code health} says; {@code port} is 0 when it has none. */
    record WatchHealth(int port, HealthSpec health) implements Effect {
    }

    record StopHealthWatch() implements Effect {
    }

    /** SIGTERM the process tree; SIGKILL what is left after {@code grace}. */
    record Terminate(Duration grace) implements Effect {
    }

    /** Stop the executor with this exit code. */
    record Exit(int code) implements Effect {
    }

    /**
     * The update to send; {@link #HEALTHY} is TASK_RUNNING with {@code healthy=true},
     * {@link #UNHEALTHY} TASK_RUNNING with {@code healthy=false}.
     */
    enum Status {
        STARTING, RUNNING, HEALTHY, UNHEALTHY, KILLING, FINISHED, FAILED, KILLED;

        public boolean terminal() {
            return this == FINISHED || this == FAILED || this == KILLED;
        }
    }

    /** Why, as far as Mesos has a reason for it. */
    enum Cause {
        NONE, TASK_INVALID, LAUNCH_FAILED, PROCESS_EXITED, HEALTH_CHECK
    }
}
