package dev.slipway.executor.agent;

import com.google.protobuf.ByteString;
import dev.slipway.executor.task.Effect.Report;
import dev.slipway.executor.task.Effect.Status;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import org.apache.mesos.v1.Protos.AgentID;
import org.apache.mesos.v1.Protos.FrameworkInfo;
import org.apache.mesos.v1.Protos.TaskInfo;
import org.apache.mesos.v1.executor.Protos.Call;
import org.apache.mesos.v1.executor.Protos.Event;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reliable status updates, as the executor API asks: every report becomes an UPDATE with a fresh
 * UUID, sent while subscribed and kept until ACKNOWLEDGED; what is kept goes into the next
 * SUBSCRIBE and is resent on {@link #resendUnacknowledged()}. Owned by the executor's thread.
 */
public final class StatusReporter {
    private static final Logger LOG = LoggerFactory.getLogger(StatusReporter.class);

    private final Calls calls;
    private final StatusUpdates updates;
    private final Consumer<Call> sender;
    private boolean subscribed;
    private AgentID agentId;
    private boolean frameworkKnowsKilling = true;
    private ByteString terminalUuid;
    private final Set<String> acknowledgedTasks = new HashSet<>();

    /** @param sender sends a call to the agent in the background ({@link AgentConnection#send}) */
    public StatusReporter(Calls calls, StatusUpdates updates, Consumer<Call> sender) {
        this.calls = calls;
        this.updates = updates;
        this.sender = sender;
    }

    public void subscribed(Event.Subscribed event) {
        subscribed = true;
        if (event.getAgentInfo().hasId()) {
            agentId = event.getAgentInfo().getId();
        }
        frameworkKnowsKilling = event.getFrameworkInfo().getCapabilitiesList().stream()
                .anyMatch(c -> c.getType() == FrameworkInfo.Capability.Type.TASK_KILLING_STATE);
        // The SUBSCRIBE call carried them already; resending is harmless (same UUIDs) and covers
        // agents that only take updates as UPDATE calls.
        resendUnacknowledged();
    }

    public void disconnected() {
        subscribed = false;
    }

    /** The agent id from a LAUNCH, when SUBSCRIBED did not give one. */
    public void agentIdFallback(AgentID id) {
        if (agentId == null) {
            agentId = id;
        }
    }

    /**
     * Sends {@code report}; returns false when it is not sent at all (TASK_KILLING to a framework
     * without the TASK_KILLING_STATE capability, which mesos.proto says must not get it).
     *
     * @param terminalOfTheTask whether this is the executor's own task's last update, the one whose
     *                          acknowledgement ends the executor
     */
    public boolean report(Report report, boolean terminalOfTheTask) {
        if (report.status() == Status.KILLING && !frameworkKnowsKilling) {
            return false;
        }
        Call.Update update = updates.record(report, agentId);
        if (terminalOfTheTask) {
            terminalUuid = update.getStatus().getUuid();
        }
        if (subscribed) {
            sender.accept(calls.update(update));
        }
        return true;
    }

    /** Forgets the acknowledged update; whether it was the task's terminal one. */
    public boolean acknowledged(Event.Acknowledged ack) {
        if (updates.acknowledge(ack.getUuid())) {
            acknowledgedTasks.add(ack.getTaskId().getValue());
        }
        return ack.getUuid().equals(terminalUuid);
    }

    /**
     * SUBSCRIBE with the unacknowledged updates and, unless one of its updates was acknowledged,
     * the launched task (null before any LAUNCH).
     */
    public Call subscribeCall(TaskInfo launched) {
        boolean unacknowledged = launched != null && !acknowledgedTasks.contains(launched.getTaskId().getValue());
        return calls.subscribe(unacknowledged ? List.of(launched) : List.of(), updates.unacknowledged());
    }

    /** Sends every unacknowledged update again (a periodic job; also run on SUBSCRIBED). */
    public void resendUnacknowledged() {
        if (!subscribed || updates.isEmpty()) {
            return;
        }
        List<Call.Update> unacknowledged = updates.unacknowledged();
        LOG.info("resending {} unacknowledged status update(s)", unacknowledged.size());
        unacknowledged.forEach(update -> sender.accept(calls.update(update)));
    }

    /** MESSAGE to the scheduler, when subscribed; at most once. */
    public void message(byte[] data) {
        if (subscribed) {
            sender.accept(calls.message(data));
        }
    }
}
