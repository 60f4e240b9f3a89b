package dev.slipway.mesoslocal.agent;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.mesos.v1.Protos.FrameworkInfo;

/** A framework as the agent knows it: its info and its executors here. */
final class AgentFramework {
    FrameworkInfo info;
    boolean terminating;
    final Map<String, Executor> executors = new LinkedHashMap<>();

    AgentFramework(FrameworkInfo info) {
        this.info = info;
    }

    String id() {
        return info.getId().getValue();
    }

    Executor executorOf(String taskId) {
        for (Executor executor : executors.values()) {
            if (executor.holds(taskId)) {
                return executor;
            }
        }
        return null;
    }
}
