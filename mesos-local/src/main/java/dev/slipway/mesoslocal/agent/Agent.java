package dev.slipway.mesoslocal.agent;

import dev.slipway.mesoslocal.auth.ExecutorTokens;
import com.google.protobuf.ByteString;
import dev.slipway.mesoslocal.fetcher.Fetcher;
import dev.slipway.mesoslocal.http.EventStream;
import dev.slipway.mesoslocal.resources.Ranges;
import dev.slipway.mesoslocal.resources.Resources;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.RejectedExecutionException;
import org.apache.mesos.v1.Protos.Address;
import org.apache.mesos.v1.Protos.AgentInfo;
import org.apache.mesos.v1.Protos.FrameworkInfo;
import org.apache.mesos.v1.Protos.KillPolicy;
import org.apache.mesos.v1.Protos.TaskID;
import org.apache.mesos.v1.Protos.TaskInfo;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.apache.mesos.v1.Protos.URL;
import org.apache.mesos.v1.executor.Protos.Call;
import org.apache.mesos.v1.executor.Protos.Event;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent: runs the tasks the master sends through their executors, relays executor calls,
 * and turns executor exits into task updates, as a Mesos 1.11 agent does. Every method runs on
 * the core context.
 */
public final class Agent implements AgentLink {
    private static final Logger LOG = LoggerFactory.getLogger(Agent.class);
    /** How often the kernel's TCP tables are read for ports in use: Mesos's allocation interval. */
    private static final Duration PORTS_REFRESH = Duration.ofSeconds(1);

    private final AgentInfo info;
    private final String ip;
    private final ExecutorSupervisor supervisor;
    private final StatusUpdateStreams updates;
    private final Map<String, AgentFramework> frameworks = new LinkedHashMap<>();
    private final ExecutorSessions sessions;
    private final ListeningPorts listening;
    private final SandboxGc sandboxGc;
    private Checkpointer checkpointer;

    Agent(AgentInfo info, String ip, Clock clock, MasterLink master, StatusUpdateStreams updates,
            ExecutorSupervisor supervisor, ListeningPorts listening, GarbageCollector gc) {
        this.info = info;
        this.listening = listening;
        this.ip = ip;
        this.updates = updates;
        this.supervisor = supervisor;
        this.sandboxGc = new SandboxGc(gc);
        this.sessions = new ExecutorSessions(info, ip, clock, master, frameworks, updates, supervisor,
                this::checkpoint);
        supervisor.onTerminated((executor, status) -> {
            sessions.terminated(executor, status);
            sandboxGc.exited(executor, frameworks.get(executor.frameworkId));
        });
        supervisor.onStarted(executor -> checkpoint());
    }

    /**
     * Starts the garbage collection of sandboxes (see {@link SandboxGc#start}); the sandboxes of the
     * executors here are never collected.
     */
    public void startGarbageCollection(Vertx vertx, Context core, WorkerExecutor workers, Path workDir,
            Duration diskWatchInterval) {
        sandboxGc.start(vertx, core, workers, workDir, diskWatchInterval, id(), this::liveExecutorDirectories);
    }

    /** The executor directories of the executors this agent holds: never garbage collected. */
    Set<Path> liveExecutorDirectories() {
        Set<Path> live = new HashSet<>();
        for (AgentFramework framework : frameworks.values()) {
            for (Executor executor : framework.executors.values()) {
                live.add(SandboxGc.executorDirectory(executor));
            }
        }
        return live;
    }

    /** Wires an agent and its parts; {@code core} is the context every agent method runs on. */
    public static Agent create(Vertx vertx, Context core, WorkerExecutor workers, Fetcher fetcher,
            AgentSettings settings, AgentInfo info, String ip, String endpoint, Clock clock, MasterLink master,
            GarbageCollector gc) {
        StatusUpdateStreams updates = new StatusUpdateStreams(vertx, master, settings.statusUpdateRetryMin(),
                settings.statusUpdateRetryMax());
        Containerizer containerizer = new Containerizer(workers, fetcher, Launcher.choose());
        ExecutorSupervisor supervisor = new ExecutorSupervisor(vertx, core, containerizer, settings,
                info.getId().getValue(), endpoint, System.getenv(), gc);
        ListeningPorts listening = new ListeningPorts(Resources.of(info.getResourcesList()).ranges("ports"));
        listening.refresh();
        long interval = PORTS_REFRESH.toMillis();
        vertx.setPeriodic(interval, interval, id -> {
            try {
                workers.executeBlocking(() -> {
                    listening.refresh();
                    return null;
                }, false);
            } catch (RejectedExecutionException e) {
                // mesos-local is stopping: its workers are gone.
                vertx.cancelTimer(id);
            }
        });
        return new Agent(info, ip, clock, master, updates, supervisor, listening, gc);
    }

    /** Ports something listens on although no task of ours holds them stay out of offers; see {@link ListeningPorts}. */
    @Override
    public Ranges portsInUse() {
        return listening.current();
    }

    /**
     * Checkpoints the agent's state under the work directory from now on, at every change, so
     * that a restart can {@link #recover} it.
     */
    /**
     * Authenticates executors as Mesos's {@code --authenticate_http_executors} does: each one launched
     * from now on gets a token ({@code MESOS_EXECUTOR_AUTHENTICATION_TOKEN}) for its own ids only.
     */
    public void authenticateExecutors(ExecutorTokens tokens) {
        supervisor.authenticateWith(tokens);
    }

    public void enableCheckpointing(WorkerExecutor workers, Path workDir, String masterId) {
        checkpointer = new Checkpointer(workers, workDir, masterId, info);
    }

    /**
     * Takes back a checkpoint's frameworks and executors (the master must know their tasks
     * already): live executors get the reregistration timeout to subscribe again, the tasks of
     * gone ones are reported lost, and unacknowledged updates are resent.
     */
    public void recover(AgentCheckpoint checkpoint) {
        Checkpointer.restore(checkpoint, frameworks, updates, supervisor);
        checkpoint();
    }

    /**
     * For a restart with recovery: stops status update retries and drops executor connections,
     * leaving executors running, and writes a last checkpoint; the future completes once written.
     */
    public Future<Void> detach() {
        updates.stop();
        for (AgentFramework framework : frameworks.values()) {
            for (Executor executor : framework.executors.values()) {
                if (executor.stream != null) {
                    executor.stream.close();
                    executor.stream = null;
                }
            }
        }
        return checkpointer == null ? Future.succeededFuture() : checkpointer.write(frameworks, updates);
    }

    @Override
    public AgentInfo info() {
        return info;
    }

    @Override
    public String id() {
        return info.getId().getValue();
    }

    @Override
    public URL url() {
        return URL.newBuilder().setScheme("http")
                .setAddress(Address.newBuilder().setHostname(info.getHostname()).setIp(ip).setPort(info.getPort()))
                .setPath("/slave(1)")
                .build();
    }

    // ---- from the master ----

    /** Runs a validated task; its executor is launched unless it already runs. */
    @Override
    public void runTask(FrameworkInfo frameworkInfo, TaskInfo task) {
        String frameworkId = frameworkInfo.getId().getValue();
        AgentFramework framework = frameworks.computeIfAbsent(frameworkId, id -> new AgentFramework(frameworkInfo));
        if (framework.terminating) {
            LOG.warn("Ignoring task {} of framework {}: the framework is terminating", task.getTaskId().getValue(),
                    frameworkId);
            return;
        }
        framework.info = frameworkInfo;
        String executorId = task.getExecutor().getExecutorId().getValue();
        Executor executor = framework.executors.get(executorId);
        if (executor == null) {
            executor = supervisor.launch(framework, task.getExecutor());
            framework.executors.put(executorId, executor);
        }
        executor.taskInfos.put(task.getTaskId().getValue(), task);
        switch (executor.state) {
            case REGISTERING -> executor.queuedTasks.put(task.getTaskId().getValue(), task);
            case RUNNING -> {
                if (executor.stream == null) {
                    // Disconnected: the task waits for the executor to subscribe again.
                    executor.queuedTasks.put(task.getTaskId().getValue(), task);
                } else {
                    sessions.launch(executor, task);
                }
            }
            case TERMINATING, TERMINATED -> {
                LOG.warn("Asked to run task {} of framework {} with executor '{}' which is terminating",
                        task.getTaskId().getValue(), frameworkId, executorId);
                TaskState state = partitionAware(framework.info) ? TaskState.TASK_DROPPED : TaskState.TASK_LOST;
                sessions.agentUpdate(executor, task.getTaskId(), state, TaskStatus.Reason.REASON_EXECUTOR_TERMINATED,
                        "Executor terminating");
            }
        }
        checkpoint();
    }

    @Override
    public void killTask(String frameworkId, TaskID taskId, KillPolicy killPolicy) {
        AgentFramework framework = frameworks.get(frameworkId);
        Executor executor = framework == null ? null : framework.executorOf(taskId.getValue());
        if (executor == null) {
            LOG.warn("Ignoring kill of task {} of framework {}: no executor here holds it", taskId.getValue(),
                    frameworkId);
            return;
        }
        if (executor.queuedTasks.remove(taskId.getValue()) != null) {
            LOG.info("Killing task {} of framework {} before delivery to its executor", taskId.getValue(),
                    frameworkId);
            sessions.agentUpdate(executor, taskId, TaskState.TASK_KILLED,
                    TaskStatus.Reason.REASON_TASK_KILLED_DURING_LAUNCH, "Killed before delivery to the executor");
            return;
        }
        switch (executor.state) {
            case REGISTERING -> LOG.warn("Ignoring kill of task {} of framework {}: executor {} has not registered",
                    taskId.getValue(), frameworkId, executor);
            case RUNNING -> {
                Event.Kill.Builder kill = Event.Kill.newBuilder().setTaskId(taskId);
                if (killPolicy != null) {
                    kill.setKillPolicy(killPolicy);
                }
                ExecutorSessions.send(executor, Event.newBuilder().setType(Event.Type.KILL).setKill(kill).build());
            }
            case TERMINATING, TERMINATED -> LOG.warn("Ignoring kill of task {} of framework {}: executor {} is "
                    + "terminating", taskId.getValue(), frameworkId, executor);
        }
    }

    @Override
    public void shutdownExecutor(String frameworkId, String executorId) {
        AgentFramework framework = frameworks.get(frameworkId);
        Executor executor = framework == null ? null : framework.executors.get(executorId);
        if (executor == null) {
            LOG.warn("Ignoring shutdown of unknown executor '{}' of framework {}", executorId, frameworkId);
            return;
        }
        supervisor.shutdown(executor);
    }

    @Override
    public void shutdownFramework(String frameworkId) {
        AgentFramework framework = frameworks.get(frameworkId);
        updates.cleanup(frameworkId);
        if (framework == null) {
            return;
        }
        LOG.info("Shutting down framework {}", frameworkId);
        framework.terminating = true;
        for (Executor executor : List.copyOf(framework.executors.values())) {
            executor.queuedTasks.clear();
            supervisor.shutdown(executor);
        }
        if (framework.executors.isEmpty()) {
            frameworks.remove(frameworkId);
        }
        checkpoint();
    }

    @Override
    public void updateFramework(FrameworkInfo frameworkInfo) {
        AgentFramework framework = frameworks.get(frameworkInfo.getId().getValue());
        if (framework != null) {
            framework.info = frameworkInfo;
        }
        updates.resume(frameworkInfo.getId().getValue());
        checkpoint();
    }

    @Override
    public void acknowledge(String frameworkId, TaskID taskId, ByteString uuid) {
        String error = updates.acknowledge(frameworkId, taskId.getValue(), uuid);
        if (error != null) {
            LOG.warn("Ignoring status update acknowledgement: {}", error);
        } else {
            checkpoint();
        }
    }

    @Override
    public void frameworkMessage(String frameworkId, String executorId, ByteString data) {
        AgentFramework framework = frameworks.get(frameworkId);
        Executor executor = framework == null ? null : framework.executors.get(executorId);
        if (executor == null || executor.state != Executor.State.RUNNING || executor.stream == null) {
            LOG.warn("Dropping message for executor '{}' of framework {}: it is not running", executorId, frameworkId);
            return;
        }
        ExecutorSessions.send(executor, Event.newBuilder().setType(Event.Type.MESSAGE)
                .setMessage(Event.Message.newBuilder().setData(data)).build());
    }

    // ---- from executors ----

    Executor executor(String frameworkId, String executorId) {
        return sessions.executor(frameworkId, executorId);
    }

    /** SUBSCRIBE from an executor, first or again: see {@link ExecutorSessions#subscribe}. */
    void subscribe(Executor executor, EventStream stream, Call.Subscribe subscribe) {
        sessions.subscribe(executor, stream, subscribe);
    }

    void update(Executor executor, TaskStatus status) {
        sessions.update(executor, status);
    }

    void message(Executor executor, Call.Message message) {
        sessions.message(executor, message);
    }

    // ---- lifecycle ----

    /** Asks every executor to shut down; returns their processes, to wait for or kill. */
    public List<ProcessHandle> shutdownAll() {
        List<ProcessHandle> containers = new ArrayList<>();
        for (AgentFramework framework : frameworks.values()) {
            for (Executor executor : framework.executors.values()) {
                supervisor.shutdown(executor);
                if (executor.container != null) {
                    containers.add(executor.container.handle());
                }
            }
        }
        updates.stop();
        return containers;
    }

    /**
     * Kills every executor process and its descendants at once, without the SHUTDOWN courtesy.
     * Unlike everything else here it is safe from any thread: it is for a JVM shutdown hook, so
     * that executors never outlive the process (mesos-local cannot recover them).
     */
    public void killAllContainersNow() {
        supervisor.killAll();
    }

    /**
     * For a start without recovery: kills every container a checkpoint under {@code workDir} still
     * records (executors of an earlier agent killed with SIGKILL, which would otherwise wait for it
     * for their recovery timeout, their apps holding their ports), then removes the checkpoint, which
     * nothing will take back. Blocking. Returns how many processes it killed.
     */
    public static int killLeftovers(Path workDir) {
        AgentCheckpoint checkpoint;
        try {
            checkpoint = AgentCheckpoint.read(workDir);
        } catch (RuntimeException e) {
            LOG.warn("Cannot read the agent checkpoint under {} to kill what it records: {}", workDir, e.toString());
            return 0;
        }
        if (checkpoint == null) {
            return 0;
        }
        Launcher launcher = Launcher.choose();
        int killed = 0;
        for (AgentCheckpoint.ExecutorCheckpoint saved : checkpoint.executors()) {
            killed += launcher.destroy(saved.containerId(), saved.pid(), Checkpointer.process(saved));
        }
        try {
            Files.deleteIfExists(AgentCheckpoint.file(workDir));
        } catch (IOException e) {
            LOG.warn("Cannot remove the old agent checkpoint {}: {}", AgentCheckpoint.file(workDir), e.toString());
        }
        if (killed > 0) {
            LOG.info("Killed {} process(es) left running by an earlier agent that did not stop cleanly", killed);
        }
        return killed;
    }

    public Collection<String> frameworkIds() {
        return List.copyOf(frameworks.keySet());
    }

    private void checkpoint() {
        if (checkpointer != null) {
            checkpointer.write(frameworks, updates);
        }
    }

    static boolean partitionAware(FrameworkInfo info) {
        return info.getCapabilitiesList().stream()
                .anyMatch(c -> c.getType() == FrameworkInfo.Capability.Type.PARTITION_AWARE);
    }
}
