package dev.slipway.mesoslocal.agent;

import com.google.protobuf.ByteString;
import dev.slipway.mesoslocal.resources.Ranges;
import org.apache.mesos.v1.Protos.AgentInfo;
import org.apache.mesos.v1.Protos.FrameworkInfo;
import org.apache.mesos.v1.Protos.KillPolicy;
import org.apache.mesos.v1.Protos.TaskID;
import org.apache.mesos.v1.Protos.TaskInfo;
import org.apache.mesos.v1.Protos.URL;

/**
 * What the master tells an agent: the real one running executors ({@link Agent}) or a simulated
 * one ({@link SimulatedAgent}). Called on the shared core context; an agent answers through its
 * {@link MasterLink}.
 */
public interface AgentLink {
    /** Its id, hostname, port, resources and attributes, as in offers. */
    AgentInfo info();

    default String id() {
        return info().getId().getValue();
    }

    /** The agent's address as Mesos puts it in offers. */
    URL url();

    /** Runs a validated task. */
    void runTask(FrameworkInfo frameworkInfo, TaskInfo task);

    void killTask(String frameworkId, TaskID taskId, KillPolicy killPolicy);

    void shutdownExecutor(String frameworkId, String executorId);

    /** The framework is gone (torn down or failed over for good): its executors are shut down. */
    void shutdownFramework(String frameworkId);

    /** The framework re-subscribed (maybe with new info): updates in flight go out again now. */
    void updateFramework(FrameworkInfo frameworkInfo);

    void acknowledge(String frameworkId, TaskID taskId, ByteString uuid);

    void frameworkMessage(String frameworkId, String executorId, ByteString data);

    /**
     * Ports of the agent's range that something is listening on although no task holds them (an
     * orphan, another program): offers leave them out. Answers at once from what the agent last
     * read; none for an agent that runs no process.
     */
    default Ranges portsInUse() {
        return Ranges.EMPTY;
    }
}
