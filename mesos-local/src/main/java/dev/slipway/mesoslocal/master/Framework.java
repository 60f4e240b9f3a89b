package dev.slipway.mesoslocal.master;

import dev.slipway.mesoslocal.http.EventStream;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import org.apache.mesos.v1.Protos.ExecutorInfo;
import org.apache.mesos.v1.Protos.FrameworkInfo;
import org.apache.mesos.v1.scheduler.Protos.Event;

/** A framework as the master knows it. Touched on the core context only. */
final class Framework {
    private static final int MAX_COMPLETED_TASKS = 1000;

    final String id;
    FrameworkInfo info;
    EventStream stream;
    final Instant registeredTime;
    Instant reregisteredTime;
    Instant unregisteredTime;
    long failoverTimer = -1;
    /** Live tasks, and terminal ones whose terminal update is not acknowledged yet. */
    final Map<String, MasterTask> tasks = new LinkedHashMap<>();
    final Deque<MasterTask> completedTasks = new ArrayDeque<>();
    /** Executors by agent id, then executor id, with the resources they hold. */
    final Map<String, Map<String, ExecutorInfo>> executors = new LinkedHashMap<>();
    final Set<String> offerIds = new LinkedHashSet<>();

    Framework(FrameworkInfo info, Instant registeredTime) {
        this.id = info.getId().getValue();
        this.info = info;
        this.registeredTime = registeredTime;
        this.reregisteredTime = registeredTime;
    }

    /** Its executors on one agent (a live view: changes go to the framework's books). */
    Map<String, ExecutorInfo> executorsOn(String agentId) {
        return executors.computeIfAbsent(agentId, id -> new LinkedHashMap<>());
    }

    boolean connected() {
        return stream != null && stream.isOpen();
    }

    /** Sends on the subscription; dropped when the framework is disconnected, as in Mesos. */
    void send(Event event) {
        if (connected()) {
            stream.send(event);
        }
    }

    boolean has(FrameworkInfo.Capability.Type capability) {
        return info.getCapabilitiesList().stream().anyMatch(c -> c.getType() == capability);
    }

    boolean partitionAware() {
        return has(FrameworkInfo.Capability.Type.PARTITION_AWARE);
    }

    boolean multiRole() {
        return has(FrameworkInfo.Capability.Type.MULTI_ROLE);
    }

    /** The role its offers are allocated to (the first of its roles for a MULTI_ROLE framework). */
    String role() {
        if (multiRole()) {
            return info.getRolesCount() == 0 ? "*" : info.getRoles(0);
        }
        return info.getRole();
    }

    void complete(MasterTask task) {
        tasks.remove(task.id());
        completedTasks.addLast(task);
        while (completedTasks.size() > MAX_COMPLETED_TASKS) {
            completedTasks.removeFirst();
        }
    }

    @Override
    public String toString() {
        return id + " (" + info.getName() + ")";
    }
}
