package dev.slipway.executor.task;

import dev.slipway.executor.process.ExitStatus;
import dev.slipway.executor.task.Effect.Cause;
import dev.slipway.executor.task.Effect.Report;
import dev.slipway.executor.task.Effect.Status;
import dev.slipway.executor.task.Task.Stopping;
import dev.slipway.executor.task.TaskEvent.AgentLost;
import dev.slipway.executor.task.TaskEvent.BootTimedOut;
import dev.slipway.executor.task.TaskEvent.Healthy;
import dev.slipway.executor.task.TaskEvent.KillRequested;
import dev.slipway.executor.task.TaskEvent.Launch;
import dev.slipway.executor.task.TaskEvent.LaunchRejected;
import dev.slipway.executor.task.TaskEvent.ProcessExited;
import dev.slipway.executor.task.TaskEvent.ProcessStartFailed;
import dev.slipway.executor.task.TaskEvent.ProcessStarted;
import dev.slipway.executor.task.TaskEvent.ShutdownRequested;
import dev.slipway.executor.task.TaskEvent.Unhealthy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The life of the executor's one task as a pure function {@code (task, event) -> (task, effects)}.
 * Nothing here does I/O; events that do not apply to the current phase change nothing.
 */
public final class TaskStateMachine {
    /** The executor's exit code once its task is over (or it was shut down). */
    public static final int EXIT_DONE = 0;
    /** The executor's exit code when it lost its agent. */
    public static final int EXIT_AGENT_LOST = 1;

    private TaskStateMachine() {
    }

    public static Transition apply(Task task, TaskEvent event) {
        if (event instanceof Launch launch) {
            return launch(task, launch);
        } else if (event instanceof LaunchRejected rejected) {
            return rejected(task, rejected);
        } else if (event instanceof ProcessStarted started) {
            return started(task, started);
        } else if (event instanceof ProcessStartFailed failed) {
            return startFailed(task, failed);
        } else if (event instanceof Healthy healthy) {
            return healthy(task, healthy);
        } else if (event instanceof BootTimedOut timedOut) {
            return bootTimedOut(task, timedOut);
        } else if (event instanceof Unhealthy unhealthy) {
            return unhealthy(task, unhealthy);
        } else if (event instanceof ProcessExited exited) {
            return exited(task, exited.status());
        } else if (event instanceof KillRequested kill) {
            return kill(task, kill);
        } else if (event instanceof ShutdownRequested shutdown) {
            return shutdown(task, shutdown.bound());
        } else if (event instanceof AgentLost) {
            return agentLost(task);
        }
        throw new IllegalArgumentException("unknown event " + event);
    }

    private static Transition launch(Task task, Launch launch) {
        if (task.phase() != Phase.AWAITING_LAUNCH) {
            if (launch.taskId().equals(task.taskId())) {
                return unchanged(task);
            }
            return new Transition(task, List.of(new Report(launch.taskId(), Status.FAILED,
                    "this executor already runs task " + task.taskId(), Cause.TASK_INVALID)));
        }
        TaskSpec spec = launch.spec();
        return new Transition(new Task(Phase.STARTING, launch.taskId(), spec, Stopping.NO), List.of(
                new Report(launch.taskId(), Status.STARTING, "starting " + spec.dyno(), Cause.NONE),
                new Effect.StartProcess(spec)));
    }

    private static Transition rejected(Task task, LaunchRejected rejected) {
        Report failed = new Report(rejected.taskId(), Status.FAILED, rejected.reason(), Cause.TASK_INVALID);
        if (task.phase() != Phase.AWAITING_LAUNCH) {
            return new Transition(task, List.of(failed));
        }
        return new Transition(new Task(Phase.TERMINATED, rejected.taskId(), null, Stopping.NO), List.of(failed));
    }

    private static Transition started(Task task, ProcessStarted started) {
        if (task.phase() == Phase.KILLING) {
            // Killed while it was being started: stop it now that there is something to stop.
            return new Transition(task, List.of(new Effect.Terminate(task.spec().killGrace())));
        }
        if (task.phase() != Phase.STARTING) {
            return unchanged(task);
        }
        TaskSpec spec = task.spec();
        List<Effect> effects = new ArrayList<>();
        effects.add(new Report(task.taskId(), Status.RUNNING, spec.dyno() + " running as " + started.processName(),
                Cause.NONE));
        if (spec.health().type() != HealthSpec.Type.NONE) {
            effects.add(new Effect.WatchHealth(spec.port(), spec.health()));
        }
        return new Transition(task.to(Phase.RUNNING), effects);
    }

    private static Transition startFailed(Task task, ProcessStartFailed failed) {
        if (task.phase() == Phase.STARTING) {
            return terminated(task, new Report(task.taskId(), Status.FAILED, failed.reason(), Cause.LAUNCH_FAILED));
        }
        if (task.phase() == Phase.KILLING) {
            return ended(task, "killed before it started: " + failed.reason());
        }
        return unchanged(task);
    }

    private static Transition healthy(Task task, Healthy healthy) {
        if (task.phase() != Phase.RUNNING) {
            return unchanged(task);
        }
        return new Transition(task.to(Phase.HEALTHY), List.of(new Report(task.taskId(), Status.HEALTHY,
                healthy.detail(), Cause.HEALTH_CHECK)));
    }

    /** The health check never passed in time (R10 for web): SIGTERM now, TASK_FAILED once the process is gone. */
    private static Transition bootTimedOut(Task task, BootTimedOut timedOut) {
        if (task.phase() != Phase.RUNNING) {
            return unchanged(task);
        }
        return new Transition(task.failingHealthCheck(timedOut.reason()),
                List.of(new Effect.Terminate(task.spec().killGrace())));
    }

    /**
     * The health check failed too often after passing: healthy=false first, so that the router drops
     * the instance at once, then as for a boot timeout.
     */
    private static Transition unhealthy(Task task, Unhealthy unhealthy) {
        if (task.phase() != Phase.HEALTHY) {
            return unchanged(task);
        }
        return new Transition(task.failingHealthCheck(unhealthy.reason()), List.of(new Effect.StopHealthWatch(),
                new Report(task.taskId(), Status.UNHEALTHY, unhealthy.reason(), Cause.HEALTH_CHECK),
                new Effect.Terminate(task.spec().killGrace())));
    }

    private static Transition exited(Task task, ExitStatus status) {
        return switch (task.phase()) {
            case RUNNING, HEALTHY -> terminated(task, new Report(task.taskId(),
                    status.success() ? Status.FINISHED : Status.FAILED, status.describe(),
                    status.success() ? Cause.NONE : Cause.PROCESS_EXITED), new Effect.StopHealthWatch());
            case KILLING -> ended(task, status.describe());
            default -> unchanged(task);
        };
    }

    /** The process of a task being stopped has ended: report what the stop was for. */
    private static Transition ended(Task task, String how) {
        return switch (task.stopping()) {
            case KILL -> terminated(task, new Report(task.taskId(), Status.KILLED, "killed: " + how, Cause.NONE));
            case HEALTH_CHECK -> terminated(task, new Report(task.taskId(), Status.FAILED, task.failure(),
                    Cause.HEALTH_CHECK));
            case AGENT_LOST, NO -> new Transition(task.to(Phase.TERMINATED), List.of(new Effect.Exit(EXIT_AGENT_LOST)));
        };
    }

    private static Transition kill(Task task, KillRequested kill) {
        if (!kill.taskId().equals(task.taskId())) {
            return unchanged(task);
        }
        Duration grace = kill.grace() != null ? kill.grace() : task.spec() == null ? Duration.ZERO
                : task.spec().killGrace();
        return stop(task, grace, Stopping.KILL);
    }

    private static Transition shutdown(Task task, Duration bound) {
        if (task.phase() == Phase.AWAITING_LAUNCH || task.phase() == Phase.TERMINATED) {
            return new Transition(task.to(Phase.TERMINATED), List.of(new Effect.Exit(EXIT_DONE)));
        }
        Duration grace = task.spec().killGrace().compareTo(bound) < 0 ? task.spec().killGrace() : bound;
        return stop(task, grace, Stopping.KILL);
    }

    private static Transition agentLost(Task task) {
        return switch (task.phase()) {
            case AWAITING_LAUNCH, TERMINATED -> new Transition(task.to(Phase.TERMINATED),
                    List.of(new Effect.Exit(EXIT_AGENT_LOST)));
            case STARTING -> new Transition(task.stopping(Stopping.AGENT_LOST), List.of());
            case RUNNING, HEALTHY -> new Transition(task.stopping(Stopping.AGENT_LOST), List.of(
                    new Effect.StopHealthWatch(), new Effect.Terminate(task.spec().killGrace())));
            // No one is left to report the kill to: just exit once the process is gone.
            case KILLING -> new Transition(task.stopping(Stopping.AGENT_LOST), List.of());
        };
    }

    /** KILL and SHUTDOWN: TASK_KILLING, then SIGTERM, SIGKILL after {@code grace}. */
    private static Transition stop(Task task, Duration grace, Stopping why) {
        return switch (task.phase()) {
            case STARTING -> new Transition(task.stopping(why), List.of(
                    new Report(task.taskId(), Status.KILLING, "killing " + task.spec().dyno(), Cause.NONE)));
            case RUNNING, HEALTHY -> new Transition(task.stopping(why), List.of(
                    new Effect.StopHealthWatch(),
                    new Report(task.taskId(), Status.KILLING, "killing " + task.spec().dyno(), Cause.NONE),
                    new Effect.Terminate(grace)));
            // Already stopping: a new grace (a KILL's kill policy, a SHUTDOWN) may hurry it up.
            case KILLING -> new Transition(task, List.of(new Effect.Terminate(grace)));
            case AWAITING_LAUNCH, TERMINATED -> unchanged(task);
        };
    }

    private static Transition terminated(Task task, Report report, Effect... before) {
        List<Effect> effects = new ArrayList<>(List.of(before));
        effects.add(report);
        return new Transition(task.to(Phase.TERMINATED), effects);
    }

    private static Transition unchanged(Task task) {
        return new Transition(task, List.of());
    }
}
