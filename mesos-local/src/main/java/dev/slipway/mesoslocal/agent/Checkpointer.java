package dev.slipway.mesoslocal.agent;

import dev.slipway.mesoslocal.agent.AgentCheckpoint.ExecutorCheckpoint;
import dev.slipway.mesoslocal.agent.AgentCheckpoint.TaskCheckpoint;
import io.vertx.core.Future;
import io.vertx.core.WorkerExecutor;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.mesos.v1.Protos.AgentInfo;
import org.apache.mesos.v1.Protos.FrameworkInfo;
import org.apache.mesos.v1.Protos.TaskInfo;
import org.apache.mesos.v1.Protos.TaskState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's checkpointing: snapshots the agent's frameworks, executors and status update
 * streams on the core context and writes them, in order, on a worker; and after a restart puts
 * a checkpoint back into the agent's books.
 */
final class Checkpointer {
    private static final Logger LOG = LoggerFactory.getLogger(Checkpointer.class);

    private final WorkerExecutor workers;
    private final Path workDir;
    private final String masterId;
    private final AgentInfo agentInfo;

    Checkpointer(WorkerExecutor workers, Path workDir, String masterId, AgentInfo agentInfo) {
        this.workers = workers;
        this.workDir = workDir;
        this.masterId = masterId;
        this.agentInfo = agentInfo;
    }

    /** Writes the agent's state as it is now; writes complete in the order they were asked for. */
    Future<Void> write(Map<String, AgentFramework> frameworks, StatusUpdateStreams updates) {
        byte[] bytes = snapshot(frameworks, updates).toBytes();
        return workers.<Void>executeBlocking(() -> {
            AgentCheckpoint.write(workDir, bytes);
            return null;
        }, true).onFailure(e -> LOG.error("Could not checkpoint the agent: {}", e.toString()));
    }

    private AgentCheckpoint snapshot(Map<String, AgentFramework> frameworks, StatusUpdateStreams updates) {
        List<FrameworkInfo> infos = new ArrayList<>();
        List<ExecutorCheckpoint> executors = new ArrayList<>();
        for (AgentFramework framework : frameworks.values()) {
            if (framework.executors.isEmpty() || framework.terminating) {
                continue;
            }
            infos.add(framework.info);
            for (Executor executor : framework.executors.values()) {
                if (executor.state == Executor.State.TERMINATED) {
                    continue;
                }
                List<TaskCheckpoint> tasks = new ArrayList<>();
                executor.launchedTasks.forEach((taskId, state) -> {
                    TaskInfo info = executor.taskInfos.get(taskId);
                    if (info != null) {
                        tasks.add(new TaskCheckpoint(info, state, executor.latestStatuses.get(taskId),
                                updates.pending(executor.frameworkId, taskId)));
                    }
                });
                ProcessHandle process = executor.container == null ? null : executor.container.handle();
                long start = process == null ? -1
                        : process.info().startInstant().map(Instant::toEpochMilli).orElse(-1L);
                executors.add(new ExecutorCheckpoint(executor.frameworkId, executor.info, executor.containerId,
                        executor.directory, process == null ? -1 : process.pid(), start,
                        executor.state == Executor.State.TERMINATING, List.copyOf(executor.queuedTasks.values()),
                        tasks));
            }
        }
        return new AgentCheckpoint(masterId, agentInfo, infos, executors);
    }

    /**
     * Puts the checkpoint's frameworks and executors back into {@code frameworks}, resends their
     * unacknowledged updates, and has the supervisor take back each executor's process (or
     * terminate it when the process is gone). The master must already know the recovered tasks.
     */
    static void restore(AgentCheckpoint checkpoint, Map<String, AgentFramework> frameworks,
            StatusUpdateStreams updates, ExecutorSupervisor supervisor) {
        for (FrameworkInfo info : checkpoint.frameworks()) {
            frameworks.put(info.getId().getValue(), new AgentFramework(info));
        }
        for (ExecutorCheckpoint saved : checkpoint.executors()) {
            AgentFramework framework = frameworks.get(saved.frameworkId());
            if (framework == null) {
                continue;
            }
            Executor executor = new Executor(saved.frameworkId(), saved.info(), saved.containerId(), saved.directory());
            for (TaskInfo task : saved.queued()) {
                executor.queuedTasks.put(task.getTaskId().getValue(), task);
                executor.taskInfos.put(task.getTaskId().getValue(), task);
            }
            for (TaskCheckpoint task : saved.tasks()) {
                String taskId = task.info().getTaskId().getValue();
                executor.launchedTasks.put(taskId, task.state());
                executor.taskInfos.put(taskId, task.info());
                if (task.latest() != null) {
                    executor.latestStatuses.put(taskId, task.latest());
                }
                updates.recover(saved.frameworkId(), taskId, task.pending(), task.state());
            }
            framework.executors.put(executor.id(), executor);
            TaskState lost = Agent.partitionAware(framework.info) ? TaskState.TASK_GONE : TaskState.TASK_LOST;
            supervisor.recover(executor, process(saved), saved.pid(), lost);
            if (saved.terminating()) {
                supervisor.shutdown(executor);
            }
        }
    }

    /** The checkpointed process if it is still the same one (a pid may have been reused since). */
    static ProcessHandle process(ExecutorCheckpoint saved) {
        if (saved.pid() <= 0) {
            return null;
        }
        return ProcessHandle.of(saved.pid())
                .filter(ProcessHandle::isAlive)
                .filter(p -> saved.startMillis() == -1 || p.info().startInstant()
                        .map(start -> start.toEpochMilli() == saved.startMillis()).orElse(true))
                .orElse(null);
    }
}
