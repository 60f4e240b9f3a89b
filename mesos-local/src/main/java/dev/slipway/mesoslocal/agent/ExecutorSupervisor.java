package dev.slipway.mesoslocal.agent;

import dev.slipway.mesoslocal.auth.ExecutorTokens;
import dev.slipway.mesoslocal.http.EventStream;
import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.apache.mesos.v1.Protos.ExecutorInfo;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.apache.mesos.v1.executor.Protos.Event;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries executors through their lives: launch into a fresh sandbox, the registration timeout,
 * shutdown with its grace period, and the exit, which it reports to the agent.
 */
final class ExecutorSupervisor {
    private static final Logger LOG = LoggerFactory.getLogger(ExecutorSupervisor.class);

    private final Vertx vertx;
    private final Context core;
    private final Containerizer containerizer;
    private final AgentSettings settings;
    private final String agentId;
    private final String agentEndpoint;
    private final Map<String, String> inheritedEnvironment;
    private BiConsumer<Executor, Integer> terminated = (executor, status) -> { };
    private Consumer<Executor> started = executor -> { };

    private ExecutorTokens tokens;
    private final GarbageCollector gc;

    ExecutorSupervisor(Vertx vertx, Context core, Containerizer containerizer, AgentSettings settings, String agentId,
            String agentEndpoint, Map<String, String> inheritedEnvironment, GarbageCollector gc) {
        this.gc = gc;
        this.vertx = vertx;
        this.core = core;
        this.containerizer = containerizer;
        this.settings = settings;
        this.agentId = agentId;
        this.agentEndpoint = agentEndpoint;
        this.inheritedEnvironment = Map.copyOf(inheritedEnvironment);
    }

    /** Executors get a token signed with these (Mesos's {@code --authenticate_http_executors}). */
    void authenticateWith(ExecutorTokens tokens) {
        this.tokens = tokens;
    }

    /** Who hears of exits: the executor and its wait status (-1 when it never ran). */
    void onTerminated(BiConsumer<Executor, Integer> listener) {
        this.terminated = listener;
    }

    /** Who hears that an executor's process has started (its pid is known). */
    void onStarted(Consumer<Executor> listener) {
        this.started = listener;
    }

    /**
     * Takes back an executor found in a checkpoint: with its process still alive it is watched and
     * has the reregistration timeout to subscribe again; with the process gone (it had pid
     * {@code savedPid}) what is left of its container is killed and it is terminated, its live tasks
     * ending as {@code lost} (TASK_GONE, or TASK_LOST when not partition-aware).
     */
    void recover(Executor executor, ProcessHandle process, long savedPid, TaskState lost) {
        executor.recovered = true;
        if (process == null || !process.isAlive()) {
            LOG.info("Executor {} in container {} exited while the agent was down", executor, executor.containerId);
            executor.terminateWith(new Executor.Termination(lost, TaskStatus.Reason.REASON_EXECUTOR_TERMINATED,
                    "Executor exited while the agent was down"));
            // What it started may still run (and hold its port): it goes with the container.
            containerizer.destroyLeftovers(executor.containerId, savedPid)
                    .onComplete(killed -> core.runOnContext(v -> terminated(executor, -1)));
            return;
        }
        executor.container = new Container(executor.containerId, executor.directory, process, null);
        containerizer.adopt(executor.container);
        process.onExit().whenComplete((handle, error) -> destroyThenTerminated(executor, executor.container));
        Duration timeout = settings.executorReregistrationTimeout();
        executor.registrationTimer = vertx.setTimer(timeout.toMillis(), id -> {
            executor.registrationTimer = -1;
            if (executor.state != Executor.State.REGISTERING) {
                return;
            }
            LOG.info("Killing executor {}: it did not subscribe again within {}", executor, Durations.stout(timeout));
            executor.state = Executor.State.TERMINATING;
            executor.terminateWith(new Executor.Termination(lost,
                    TaskStatus.Reason.REASON_EXECUTOR_REREGISTRATION_TIMEOUT,
                    "Executor did not reregister within " + Durations.stout(timeout)));
            destroy(executor);
        });
        LOG.info("Recovered executor {} in container {} (process {}); waiting for it to subscribe again", executor,
                executor.containerId, process.pid());
    }

    Executor launch(AgentFramework framework, ExecutorInfo info) {
        String containerId = UUID.randomUUID().toString();
        Path directory = settings.workDir().resolve(Path.of("slaves", agentId, "frameworks", framework.id(),
                "executors", info.getExecutorId().getValue(), "runs", containerId));
        Executor executor = new Executor(framework.id(), info, containerId, directory);
        LOG.info("Launching executor {} in container {} with sandbox {}", executor, containerId, directory);
        Map<String, String> environment;
        try {
            environment = ExecutorEnvironment.of(info, directory, agentId, agentEndpoint,
                    framework.info.getCheckpoint() && settings.recovers(), settings.executorShutdownGracePeriod(),
                    inheritedEnvironment,
                    tokens == null ? null : tokens.issue(framework.id(), info.getExecutorId().getValue(), containerId));
        } catch (IllegalArgumentException e) {
            core.runOnContext(v -> launchFailed(executor, e.getMessage()));
            return executor;
        }
        executor.registrationTimer = vertx.setTimer(settings.executorRegistrationTimeout().toMillis(),
                id -> registrationTimeout(executor));
        // As a Mesos agent unschedules the framework and executor directories before a launch into
        // them; one being removed is waited for.
        Path executorDirectory = directory.getParent().getParent();
        Map<String, String> env = environment;
        Future.fromCompletionStage(gc.unschedule(executorDirectory.getParent().getParent(), executorDirectory), core)
                .compose(v -> containerizer.launch(containerId, directory, info.getCommand(), env))
                .onComplete(result -> core.runOnContext(v -> launched(executor, result)));
        return executor;
    }

    void registered(Executor executor) {
        cancel(executor.registrationTimer);
        executor.registrationTimer = -1;
    }

    /**
     * Asks the executor to shut down (a SHUTDOWN event), and destroys its container after the
     * grace period; one that never subscribed is destroyed at once.
     */
    void shutdown(Executor executor) {
        switch (executor.state) {
            case REGISTERING -> {
                LOG.info("Shutting down executor {} before it registered", executor);
                executor.state = Executor.State.TERMINATING;
                destroy(executor);
            }
            case RUNNING -> {
                LOG.info("Shutting down executor {}", executor);
                executor.state = Executor.State.TERMINATING;
                if (executor.stream != null) {
                    executor.stream.send(Event.newBuilder().setType(Event.Type.SHUTDOWN).build());
                }
                executor.shutdownTimer = vertx.setTimer(Math.max(1, gracePeriod(executor).toMillis()), id -> {
                    executor.shutdownTimer = -1;
                    if (executor.state != Executor.State.TERMINATED) {
                        LOG.info("Killing executor {}: it did not exit within its shutdown grace period", executor);
                        destroy(executor);
                    }
                });
            }
            default -> {
            }
        }
    }

    Duration gracePeriod(Executor executor) {
        return executor.info.hasShutdownGracePeriod()
                ? Duration.ofNanos(executor.info.getShutdownGracePeriod().getNanoseconds())
                : settings.executorShutdownGracePeriod();
    }

    /** Kills every executor process at once; safe from any thread. */
    void killAll() {
        containerizer.killAll();
    }

    /** Sends HEARTBEAT events on the stream until it closes. */
    void heartbeat(EventStream stream) {
        long interval = settings.heartbeatInterval().toMillis();
        Event heartbeat = Event.newBuilder().setType(Event.Type.HEARTBEAT).build();
        vertx.setPeriodic(interval, interval, id -> {
            if (stream.isOpen()) {
                stream.send(heartbeat);
            } else {
                vertx.cancelTimer(id);
            }
        });
    }

    private void launched(Executor executor, AsyncResult<Container> result) {
        if (result.failed()) {
            Throwable cause = result.cause();
            launchFailed(executor, cause instanceof Containerizer.LaunchException ? cause.getMessage() : cause.toString());
            return;
        }
        Container container = result.result();
        executor.container = container;
        container.process().onExit().whenComplete((process, error) -> destroyThenTerminated(executor, container));
        started.accept(executor);
        if (executor.state == Executor.State.TERMINATING) {
            destroy(executor);
        }
    }

    private void launchFailed(Executor executor, String reason) {
        LOG.error("Container {} for executor {} failed to start: {}", executor.containerId, executor, reason);
        executor.terminateWith(new Executor.Termination(TaskState.TASK_FAILED,
                TaskStatus.Reason.REASON_CONTAINER_LAUNCH_FAILED, "Failed to launch container: " + reason));
        terminated(executor, -1);
    }

    private void registrationTimeout(Executor executor) {
        executor.registrationTimer = -1;
        if (executor.state != Executor.State.REGISTERING) {
            return;
        }
        String timeout = Durations.stout(settings.executorRegistrationTimeout());
        LOG.info("Terminating executor {} because it did not register within {}", executor, timeout);
        executor.state = Executor.State.TERMINATING;
        executor.terminateWith(new Executor.Termination(TaskState.TASK_FAILED,
                TaskStatus.Reason.REASON_EXECUTOR_REGISTRATION_TIMEOUT, "Executor did not register within " + timeout));
        destroy(executor);
    }

    /**
     * The executor's process is gone: what it started is killed (its unit destroyed) before its
     * tasks are reported, as a Mesos agent reports them once the containerizer has destroyed the
     * container (slave.cpp {@code executorTerminated}). An app process that outlived a SIGKILLed
     * executor would otherwise keep its port, and a replacement on that port would "pass" its boot
     * check against it.
     */
    private void destroyThenTerminated(Executor executor, Container container) {
        containerizer.destroy(container).onComplete(killed -> core.runOnContext(v -> {
            if (killed.failed()) {
                LOG.warn("Could not destroy container {} of executor {}: {}", container.containerId(), executor,
                        killed.cause().toString());
            } else if (killed.result() > 0 && executor.state != Executor.State.TERMINATING) {
                LOG.info("Executor {} exited leaving {} process(es) in its container: killed them", executor,
                        killed.result());
            }
            terminated(executor, container.waitStatus());
        }));
    }

    private void destroy(Executor executor) {
        if (executor.container != null) {
            containerizer.destroy(executor.container);
        }
    }

    private void terminated(Executor executor, int status) {
        if (executor.state == Executor.State.TERMINATED) {
            return;
        }
        cancel(executor.registrationTimer);
        cancel(executor.shutdownTimer);
        executor.state = Executor.State.TERMINATED;
        LOG.info("Executor {} in container {} exited with status {}", executor, executor.containerId, status);
        terminated.accept(executor, status);
    }

    private void cancel(long timer) {
        if (timer != -1) {
            vertx.cancelTimer(timer);
        }
    }
}
