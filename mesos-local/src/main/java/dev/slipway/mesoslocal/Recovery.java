package dev.slipway.mesoslocal;

import dev.slipway.mesoslocal.agent.Agent;
import dev.slipway.mesoslocal.agent.AgentCheckpoint;
import dev.slipway.mesoslocal.master.Master;
import org.apache.mesos.v1.Protos.TaskInfo;
import org.apache.mesos.v1.Protos.TaskState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Start-up with recovery: hands an agent's checkpoint to the new master and agent. */
final class Recovery {
    // Logs under mesos-local's name, as before the split.
    private static final Logger LOG = LoggerFactory.getLogger(MesosLocal.class);

    private Recovery() {
    }

    /** The master learns the checkpointed frameworks and tasks first, then the agent takes its executors back. */
    static void recover(AgentCheckpoint checkpoint, Master master, Agent agent) {
        checkpoint.frameworks().forEach(master::recoverFramework);
        for (AgentCheckpoint.ExecutorCheckpoint executor : checkpoint.executors()) {
            master.recoverExecutor(executor.frameworkId(), agent.id(), executor.info());
            for (AgentCheckpoint.TaskCheckpoint task : executor.tasks()) {
                if (task.tracked()) {
                    master.recoverTask(executor.frameworkId(), task.info(), task.state(), task.latest());
                }
            }
            for (TaskInfo task : executor.queued()) {
                master.recoverTask(executor.frameworkId(), task, TaskState.TASK_STAGING,
                        null);
            }
        }
        agent.recover(checkpoint);
        LOG.info("mesos-local recovered {} frameworks and {} executors from its checkpoint",
                checkpoint.frameworks().size(), checkpoint.executors().size());
    }
}
