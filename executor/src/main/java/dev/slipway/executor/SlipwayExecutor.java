package dev.slipway.executor;

import dev.slipway.executor.agent.AgentConnection;
import dev.slipway.executor.agent.Calls;
import dev.slipway.executor.agent.StatusReporter;
import dev.slipway.executor.agent.StatusUpdates;
import dev.slipway.executor.config.ExecutorConfig;
import dev.slipway.executor.health.HealthCheck;
import dev.slipway.executor.health.HealthWatch;
import dev.slipway.executor.health.Probe;
import dev.slipway.executor.orphans.SweepRequest;
import dev.slipway.executor.process.ExitStatus;
import dev.slipway.executor.process.Instance;
import dev.slipway.executor.process.ProcessRunner;
import dev.slipway.executor.process.RunningProcess;
import dev.slipway.executor.task.Effect;
import dev.slipway.executor.task.InvalidTaskSpecException;
import dev.slipway.executor.task.Task;
import dev.slipway.executor.task.TaskEvent;
import dev.slipway.executor.task.TaskSpec;
import dev.slipway.executor.task.TaskStateMachine;
import dev.slipway.executor.task.Transition;
import dev.slipway.mesos.MediaType;
import dev.slipway.mesos.MesosHttpClient;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.mesos.v1.Protos.TaskInfo;
import org.apache.mesos.v1.executor.Protos.Call;
import org.apache.mesos.v1.executor.Protos.Event;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Slipway's Mesos executor: runs one instance (one Mesos task) and reports its life to the agent.
 * Agent events, process exits and health results all become {@link TaskEvent}s handled on one
 * thread, which owns every piece of mutable state here; the {@link TaskStateMachine} decides and
 * this class carries its {@link Effect}s out. Status updates are kept and resent every
 * {@link #RESEND_INTERVAL} until acknowledged; the executor stops once its task's terminal update
 * is acknowledged, or {@link #TERMINAL_ACK_WAIT} after it was sent.
 */
public final class SlipwayExecutor implements AgentConnection.Listener {
    static final Duration RESEND_INTERVAL = Duration.ofSeconds(10);
    static final Duration TERMINAL_ACK_WAIT = Duration.ofSeconds(10);
    /** The longest the executor keeps for itself out of the agent's shutdown grace period. */
    static final Duration SHUTDOWN_MARGIN = Duration.ofSeconds(1);
    private static final Logger LOG = LoggerFactory.getLogger(SlipwayExecutor.class);

    private final ExecutorConfig config;
    private final ProcessRunner runner;
    private final Clock clock;
    private final StatusReporter reporter;
    private final ScheduledExecutorService loop;
    private final ScheduledExecutorService probeThread;
    private final ExecutorService sweeper;
    private final AgentConnection agent;
    private final CompletableFuture<Integer> exitCode = new CompletableFuture<>();
    private final CompletableFuture<Void> firstPass = new CompletableFuture<>();
    private final Deque<TaskEvent> pending = new ArrayDeque<>();

    // Owned by the loop thread.
    private Task task = Task.awaitingLaunch();
    private TaskInfo taskInfo;
    private boolean handling;
    private HealthWatch healthWatch;
    private ScheduledFuture<?> terminalAckWait;
    private volatile RunningProcess process;

    public SlipwayExecutor(ExecutorConfig config, ProcessRunner runner, Clock clock) {
        this.config = config;
        this.runner = runner;
        this.clock = clock;
        Calls calls = new Calls(config.frameworkId(), config.executorId());
        this.loop = Executors.newSingleThreadScheduledExecutor(runnable -> daemon(runnable, "executor"));
        this.probeThread = Executors.newSingleThreadScheduledExecutor(runnable -> daemon(runnable, "health-probe"));
        this.sweeper = Executors.newSingleThreadExecutor(runnable -> daemon(runnable, "orphan-sweep"));
        this.agent = new AgentConnection(config.agentEndpoint(), new MesosHttpClient(MediaType.PROTOBUF,
                Duration.ofSeconds(5), config.authenticationToken() == null ? null
                        : MesosHttpClient.bearer(config.authenticationToken())), this, config.checkpoint(), config.recoveryTimeout(),
                config.subscriptionBackoffMax(), clock);
        this.reporter = new StatusReporter(calls, new StatusUpdates(calls.executorId(), clock), agent::send);
    }

    /** Subscribes and returns at once; {@link #exitCode()} completes when the executor is done. */
    public void start() {
        LOG.info("executor {} of framework {} subscribing to {} (checkpoint {})", config.executorId(),
                config.frameworkId(), config.agentEndpoint(), config.checkpoint());
        loop.scheduleWithFixedDelay(() -> onLoop(reporter::resendUnacknowledged), RESEND_INTERVAL.toMillis(),
                RESEND_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
        agent.start();
    }

    /** Completes when the instance first passes its health check (never for one without a check). */
    public CompletableFuture<Void> firstHealthy() {
        return firstPass;
    }

    /** The code the executor process should exit with, once it is done. */
    public CompletableFuture<Integer> exitCode() {
        return exitCode;
    }

    /** Stops talking to the agent and stops the loop; call after {@link #exitCode()} completed. */
    public void close() {
        agent.close();
        loop.shutdownNow();
        probeThread.shutdownNow();
        sweeper.shutdownNow();
    }

    /**
     * For a JVM shutdown hook: if the app still runs, stop it within {@code grace} so that it does
     * not outlive its executor.
     */
    public void stopProcessNow(Duration grace) {
        RunningProcess running = process;
        if (running == null || running.onExit().isDone()) {
            return;
        }
        running.terminate(grace);
        try {
            running.onExit().get(grace.toMillis() + 500, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            LOG.warn("{} did not stop within {} ms", running.name(), grace.toMillis());
        }
        running.kill();
    }

    /** Sends bytes to the scheduler (MESSAGE), at most once. */
    public void sendMessage(byte[] data) {
        onLoop(() -> reporter.message(data));
    }

    // --- AgentConnection.Listener: called from the connection's threads ---

    @Override
    public Call subscribeCall() throws IOException, InterruptedException {
        try {
            return loop.submit(() -> reporter.subscribeCall(taskInfo)).get();
        } catch (RejectedExecutionException | ExecutionException e) {
            throw new IOException("the executor is stopping", e);
        }
    }

    @Override
    public void onEvent(Event event) {
        onLoop(() -> handle(event));
    }

    @Override
    public void onDisconnected(String why) {
        onLoop(() -> {
            reporter.disconnected();
            LOG.warn("disconnected from the agent ({}); subscribing again", why);
        });
    }

    @Override
    public void onLost(String why) {
        onLoop(() -> {
            reporter.disconnected();
            LOG.error("{}: stopping the task and exiting", why);
            apply(new TaskEvent.AgentLost());
        });
    }

    // --- the loop thread ---

    private void handle(Event event) {
        switch (event.getType()) {
            case SUBSCRIBED -> reporter.subscribed(event.getSubscribed());
            case LAUNCH -> launch(event.getLaunch().getTask());
            case KILL -> {
                Event.Kill kill = event.getKill();
                Duration grace = kill.hasKillPolicy() && kill.getKillPolicy().hasGracePeriod()
                        ? Duration.ofNanos(kill.getKillPolicy().getGracePeriod().getNanoseconds()) : null;
                LOG.info("KILL for task {}{}", kill.getTaskId().getValue(),
                        grace == null ? "" : " with a grace period of " + grace.toMillis() + " ms");
                apply(new TaskEvent.KillRequested(kill.getTaskId().getValue(), grace));
            }
            case ACKNOWLEDGED -> acknowledged(event.getAcknowledged());
            case HEARTBEAT -> LOG.trace("heartbeat from the agent");
            case SHUTDOWN -> {
                LOG.info("SHUTDOWN from the agent");
                apply(new TaskEvent.ShutdownRequested(shutdownBound(config.shutdownGracePeriod())));
            }
            case MESSAGE -> message(event.getMessage().getData().toByteArray());
            default -> LOG.warn("ignoring an event of type {}", event.getType());
        }
    }

    private void launch(TaskInfo info) {
        String taskId = info.getTaskId().getValue();
        if (info.hasAgentId()) {
            reporter.agentIdFallback(info.getAgentId());
        }
        if (taskInfo == null) {
            taskInfo = info;
        }
        try {
            TaskSpec spec = TaskSpec.parse(info.getData().toByteArray());
            LOG.info("LAUNCH of task {}: {}", taskId, spec);
            apply(new TaskEvent.Launch(taskId, spec));
        } catch (InvalidTaskSpecException e) {
            LOG.error("LAUNCH of task {} rejected: {}", taskId, e.getMessage());
            apply(new TaskEvent.LaunchRejected(taskId, e.getMessage()));
        }
    }

    /** The only message the framework sends: which of its tasks are live, so that orphans can go. */
    private void message(byte[] data) {
        Optional<SweepRequest> request;
        try {
            request = SweepRequest.parse(data);
        } catch (IOException e) {
            LOG.warn("MESSAGE from the scheduler not understood, nothing removed: {}", e.getMessage());
            return;
        }
        if (request.isEmpty()) {
            LOG.info("MESSAGE from the scheduler ({} bytes), ignored", data.length);
            return;
        }
        SweepRequest sweep = task.taskId() == null ? request.get() : request.get().including(task.taskId());
        // The engine may be slow to list and remove: not on this loop, which health and kills need.
        try {
            sweeper.execute(() -> removeOrphans(sweep));
        } catch (RejectedExecutionException e) {
            LOG.debug("stopping: no orphans removed");
        }
    }

    private void removeOrphans(SweepRequest sweep) {
        try {
            List<String> removed = runner.removeOrphans(sweep.liveTaskIds(), sweep.asOf());
            if (!removed.isEmpty()) {
                LOG.info("removed {} orphan container(s) of the framework: {}", removed.size(), removed);
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("cannot look for orphan containers: {}", e.getMessage());
        }
    }

    private void acknowledged(Event.Acknowledged ack) {
        if (reporter.acknowledged(ack)) {
            LOG.info("the terminal update of task {} was acknowledged", task.taskId());
            exit(TaskStateMachine.EXIT_DONE);
        }
    }

    /** Feeds an event to the state machine; events raised while effects run wait their turn. */
    private void apply(TaskEvent event) {
        pending.add(event);
        if (handling) {
            return;
        }
        handling = true;
        try {
            TaskEvent next;
            while ((next = pending.poll()) != null) {
                Transition transition = TaskStateMachine.apply(task, next);
                if (transition.next().phase() != task.phase()) {
                    LOG.info("{}: {} -> {}", label(transition.next()), task.phase(), transition.next().phase());
                }
                task = transition.next();
                transition.effects().forEach(this::carryOut);
            }
        } finally {
            handling = false;
        }
    }

    private void carryOut(Effect effect) {
        if (effect instanceof Effect.Report report) {
            report(report);
        } else if (effect instanceof Effect.StartProcess start) {
            startProcess(new Instance(task.taskId(), start.spec(), config.appDir()));
        } else if (effect instanceof Effect.WatchHealth watch) {
            watchHealth(watch);
        } else if (effect instanceof Effect.StopHealthWatch) {
            stopHealthWatch();
        } else if (effect instanceof Effect.Terminate terminate) {
            RunningProcess running = process;
            if (running != null) {
                running.terminate(terminate.grace());
            }
        } else if (effect instanceof Effect.Exit exit) {
            exit(exit.code());
        }
    }

    private void startProcess(Instance instance) {
        RunningProcess started;
        try {
            started = runner.start(instance);
        } catch (IOException e) {
            apply(new TaskEvent.ProcessStartFailed(e.getMessage()));
            return;
        }
        process = started;
        started.onExit().whenComplete((status, error) -> onLoop(() -> {
            ExitStatus exit = status != null ? status : new ExitStatus(-1);
            LOG.info("{}: {} {}", label(task), started.name(), exit.describe());
            apply(new TaskEvent.ProcessExited(exit));
        }));
        apply(new TaskEvent.ProcessStarted(started.name()));
    }

    /** Probes on the probe thread; what they find comes back to this loop as task events. */
    private void watchHealth(Effect.WatchHealth watch) {
        stopHealthWatch();
        Probe probe = Probe.of(watch.health(), watch.port(), process);
        healthWatch = HealthWatch.start(probeThread, clock, probe, HealthCheck.Rules.of(watch.health(), watch.port()),
                label(task), new HealthWatch.Listener() {
                    @Override
                    public void healthy(String detail) {
                        onLoop(() -> apply(new TaskEvent.Healthy(detail)));
                        firstPass.complete(null);
                    }

                    @Override
                    public void bootTimedOut(String reason) {
                        onLoop(() -> apply(new TaskEvent.BootTimedOut(reason)));
                    }

                    @Override
                    public void unhealthy(String reason) {
                        onLoop(() -> apply(new TaskEvent.Unhealthy(reason)));
                    }
                });
    }

    private void report(Effect.Report report) {
        boolean terminalOfTheTask = report.status().terminal() && report.taskId().equals(task.taskId());
        if (!reporter.report(report, terminalOfTheTask)) {
            LOG.info("{}: {} not reported: the framework lacks TASK_KILLING_STATE", label(task), report.status());
            return;
        }
        LOG.info("{}: {} {}", report.taskId().equals(task.taskId()) ? label(task) : "task " + report.taskId(),
                report.status(), report.message());
        if (terminalOfTheTask) {
            terminalAckWait = loop.schedule(() -> {
                LOG.warn("no acknowledgement of the terminal update within {} s; exiting anyway",
                        TERMINAL_ACK_WAIT.toSeconds());
                exit(TaskStateMachine.EXIT_DONE);
            }, TERMINAL_ACK_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private void exit(int code) {
        if (exitCode.isDone()) {
            return;
        }
        stopHealthWatch();
        if (terminalAckWait != null) {
            terminalAckWait.cancel(false);
        }
        RunningProcess running = process;
        if (running != null) {
            // Whatever the app left behind must not outlive the executor.
            running.kill();
        }
        LOG.info("executor {} exiting with code {}", config.executorId(), code);
        exitCode.complete(code);
    }

    private void stopHealthWatch() {
        if (healthWatch != null) {
            healthWatch.cancel();
            healthWatch = null;
        }
    }

    /** How long a SHUTDOWN lets the process take: the agent's grace period less a margin for the last update. */
    static Duration shutdownBound(Duration shutdownGracePeriod) {
        Duration quarter = shutdownGracePeriod.dividedBy(4);
        Duration margin = quarter.compareTo(SHUTDOWN_MARGIN) < 0 ? quarter : SHUTDOWN_MARGIN;
        return shutdownGracePeriod.minus(margin);
    }

    private static String label(Task task) {
        TaskSpec spec = task.spec();
        return spec == null ? "task " + task.taskId()
                : spec.app() + " " + spec.dyno() + " v" + spec.release() + " (task " + task.taskId() + ")";
    }

    private void onLoop(Runnable action) {
        try {
            loop.execute(() -> {
                try {
                    action.run();
                } catch (RuntimeException e) {
                    LOG.error("unexpected failure in the executor loop", e);
                }
            });
        } catch (RejectedExecutionException e) {
            LOG.debug("executor stopped; dropping a late event");
        }
    }

    private static Thread daemon(Runnable runnable, String name) {
        Thread thread = new Thread(runnable, name);
        thread.setDaemon(true);
        return thread;
    }
}
