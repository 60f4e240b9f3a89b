package dev.slipway.mesoslocal.agent;

import dev.slipway.mesoslocal.http.EventStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.mesos.v1.Protos.ContainerID;
import org.apache.mesos.v1.Protos.ContainerStatus;
import org.apache.mesos.v1.Protos.ExecutorInfo;
import org.apache.mesos.v1.Protos.NetworkInfo;
import org.apache.mesos.v1.Protos.TaskInfo;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;

/** An executor on the agent, from launch to exit. Touched on the core context only. */
final class Executor {
    enum State { REGISTERING, RUNNING, TERMINATING, TERMINATED }

    /** How the executor's live tasks end when its container goes away, if not the default. */
    record Termination(TaskState state, TaskStatus.Reason reason, String message) {
    }

    final String frameworkId;
    final ExecutorInfo info;
    final String containerId;
    final Path directory;
    State state = State.REGISTERING;
    EventStream stream;
    Container container;
    Termination termination;
    /** Tasks waiting for the executor to subscribe. */
    final Map<String, TaskInfo> queuedTasks = new LinkedHashMap<>();
    /** Tasks given to the executor, with their latest state. */
    final Map<String, TaskState> launchedTasks = new LinkedHashMap<>();
    /** Every task given to the agent for this executor, queued or launched, for checkpoints. */
    final Map<String, TaskInfo> taskInfos = new LinkedHashMap<>();
    /** The latest status the agent took for each task. */
    final Map<String, TaskStatus> latestStatuses = new LinkedHashMap<>();
    /** Recovered after a restart and not subscribed again yet. */
    boolean recovered;
    long registrationTimer = -1;
    long shutdownTimer = -1;

    Executor(String frameworkId, ExecutorInfo info, String containerId, Path directory) {
        this.frameworkId = frameworkId;
        this.info = info;
        this.containerId = containerId;
        this.directory = directory;
    }

    String id() {
        return info.getExecutorId().getValue();
    }

    boolean holds(String taskId) {
        return queuedTasks.containsKey(taskId) || launchedTasks.containsKey(taskId);
    }

    /** What Mesos adds to a TASK_RUNNING update: the container, the executor's pid, the agent's address. */
    ContainerStatus containerStatus(String ip) {
        ContainerStatus.Builder status = ContainerStatus.newBuilder()
                .setContainerId(ContainerID.newBuilder().setValue(containerId))
                .addNetworkInfos(NetworkInfo.newBuilder().addIpAddresses(
                        NetworkInfo.IPAddress.newBuilder().setIpAddress(ip)));
        if (container != null) {
            status.setExecutorPid((int) container.handle().pid());
        }
        return status.build();
    }

    /** Sets the termination unless one is already decided: the first cause wins. */
    void terminateWith(Termination cause) {
        if (termination == null) {
            termination = cause;
        }
    }

    @Override
    public String toString() {
        return "'" + id() + "' of framework " + frameworkId;
    }
}
