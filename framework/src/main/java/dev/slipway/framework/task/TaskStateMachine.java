package dev.slipway.framework.task;

import dev.slipway.framework.mesos.TaskUpdate;
import dev.slipway.zk.Instance;
import dev.slipway.zk.InstanceState;
import java.time.Instant;

/** How a Mesos status update changes an instance. Pure. */
public final class TaskStateMachine {
    private TaskStateMachine() {
    }

    public static Instance apply(Instance instance, TaskUpdate update, Instant now) {
        if (instance.state().terminal()) {
            // Mesos may resend an update for a task we already closed: nothing comes back to life.
            return instance;
        }
        InstanceState next = update.state();
        if (instance.state() == InstanceState.KILLING && !next.terminal()) {
            // We asked for this instance to stop: it stays out of the routes whatever Mesos says until it ends.
            next = InstanceState.KILLING;
        }
        boolean healthy = switch (next) {
            case RUNNING -> update.healthy() != null ? update.healthy() : instance.healthy();
            default -> false;
        };
        String message = update.message().isEmpty() ? update.reason() : update.message();
        Instance updated = instance.with(next, healthy, message.isEmpty() ? instance.message() : message, now);
        if (updated.agentId().isEmpty() && !update.agentId().isEmpty()) {
            updated = new Instance(updated.taskId(), updated.app(), updated.process(), updated.index(),
                    updated.release(), updated.state(), update.agentId(), updated.host(), updated.port(),
                    updated.healthy(), updated.message(), updated.updatedAt(), updated.cpus(), updated.memoryMb(),
                    updated.restart());
        }
        return updated;
    }
}
