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

    record WatchHealth(int port, Duration bootTimeout) implements Effect {
    }

    record StopHealthWatch() implements Effect {
    }

    /** SIGTERM the process tree; SIGKILL what is left after {@code grace}. */
    record Terminate(Duration grace) implements Effect {
    }

    /** Stop the executor with this exit code. */
    record Exit(int code) implements Effect {
    }

    /** The update to send; {@link #HEALTHY} is TASK_RUNNING with {@code healthy=true}. */
    enum Status {
        STARTING, RUNNING, HEALTHY, KILLING, FINISHED, FAILED, KILLED;

        public boolean terminal() {
            return this == FINISHED || this == FAILED || this == KILLED;
        }
    }

    /** Why, as far as Mesos has a reason for it. */
    enum Cause {
        NONE, TASK_INVALID, LAUNCH_FAILED, PROCESS_EXITED, HEALTH_CHECK
    }
}
