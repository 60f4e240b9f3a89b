package dev.slipway.mesoslocal.master;

import dev.slipway.mesoslocal.resources.Resources;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.mesos.v1.Protos.ExecutorInfo;
import org.apache.mesos.v1.Protos.Resource;
import org.apache.mesos.v1.Protos.TaskInfo;

/**
 * Mesos 1.11's {@code validation::task::validate} for a LAUNCH: the task's own fields, its
 * executor, and whether task plus (new) executor fit in what is left of the offers. Returns the
 * reason a task is invalid (worded as Mesos words it), or null.
 */
final class LaunchValidator {
    private LaunchValidator() {
    }

    /** Validates a task for the offers of {@code agentId}, of which {@code offered} is left. */
    static String validate(TaskInfo task, Framework framework, String agentId, Resources offered,
            String allocationRole) {
        String error = validateTask(task, framework, agentId);
        return error != null ? error
                : validateExecutor(task, framework, framework.executorsOn(agentId), offered, allocationRole);
    }

    private static String validateTask(TaskInfo task, Framework framework, String agentId) {
        String taskId = task.getTaskId().getValue();
        String idError = Validation.id(taskId);
        if (idError != null) {
            return "'TaskID.value' " + idError;
        }
        if (framework.tasks.containsKey(taskId)) {
            return "Task has duplicate ID: " + taskId;
        }
        if (!task.getAgentId().getValue().equals(agentId)) {
            return "Task uses invalid agent " + task.getAgentId().getValue() + " while agent " + agentId
                    + " is expected";
        }
        if (task.hasKillPolicy() && task.getKillPolicy().hasGracePeriod()
                && task.getKillPolicy().getGracePeriod().getNanoseconds() < 0) {
            return "Task's 'kill_policy.grace_period' must be non-negative";
        }
        if (task.hasMaxCompletionTime() && task.getMaxCompletionTime().getNanoseconds() < 0) {
            return "Task's `max_completion_time` must be non-negative";
        }
        if (task.getResourcesCount() == 0) {
            return "Task uses no resources";
        }
        String resourceError = Resources.validate(task.getResourcesList());
        if (resourceError != null) {
            return "Task uses invalid resources: Invalid resources: " + resourceError;
        }
        String roleError = singleAllocationRole(task.getResourcesList());
        if (roleError != null) {
            return "Invalid task resources: " + roleError;
        }
        if (task.getLimitsCount() > 0) {
            return "Agent is not capable of handling task resource limits";
        }
        return null;
    }

    private static String validateExecutor(TaskInfo task, Framework framework, Map<String, ExecutorInfo> executors,
            Resources offered, String allocationRole) {
        if (task.hasExecutor() == task.hasCommand()) {
            return "Task should have at least one (but not both) of CommandInfo or ExecutorInfo present";
        }
        Resources total = Resources.of(task.getResourcesList());
        List<Resource> all = new ArrayList<>(task.getResourcesList());
        if (task.hasExecutor()) {
            ExecutorInfo executor = task.getExecutor();
            String error = executor(executor, framework, executors);
            if (error != null) {
                return error;
            }
            if (executor.hasType() && executor.getType() != ExecutorInfo.Type.CUSTOM) {
                return "'ExecutorInfo.type' must be 'CUSTOM'";
            }
            if (!executor.hasCommand()) {
                return "'ExecutorInfo.command' must be set";
            }
            if (!executors.containsKey(executor.getExecutorId().getValue())) {
                total = total.plus(Resources.of(executor.getResourcesList()));
                all.addAll(executor.getResourcesList());
                if (overlapping(task.getResourcesList(), executor.getResourcesList())) {
                    return "There are overlapping resources in the task resources "
                            + Resources.of(task.getResourcesList()) + " and executor resources "
                            + Resources.of(executor.getResourcesList());
                }
            }
        }
        boolean sameRole = all.stream().allMatch(r -> r.getAllocationInfo().getRole().equals(allocationRole));
        if (!sameRole || !offered.contains(total)) {
            return "Total resources " + total + " required by task and its executor is more than available "
                    + offered;
        }
        return null;
    }

    private static String executor(ExecutorInfo executor, Framework framework, Map<String, ExecutorInfo> executors) {
        if (executor.getType() == ExecutorInfo.Type.DEFAULT && executor.hasCommand()) {
            return "'ExecutorInfo.command' must not be set for 'DEFAULT' executor";
        }
        if (executor.getType() == ExecutorInfo.Type.CUSTOM && !executor.hasCommand()) {
            return "'ExecutorInfo.command' must be set for 'CUSTOM' executor";
        }
        String idError = Validation.id(executor.getExecutorId().getValue());
        if (idError != null) {
            return "'ExecutorID.value' " + idError;
        }
        if (executor.hasShutdownGracePeriod() && executor.getShutdownGracePeriod().getNanoseconds() < 0) {
            return "ExecutorInfo's 'shutdown_grace_period' must be non-negative";
        }
        if (!executor.hasFrameworkId()) {
            return "'ExecutorInfo.framework_id' must be set";
        }
        if (!executor.getFrameworkId().getValue().equals(framework.id)) {
            return "ExecutorInfo has an invalid FrameworkID (Actual: " + executor.getFrameworkId().getValue()
                    + " vs Expected: " + framework.id + ")";
        }
        String resourceError = Resources.validate(executor.getResourcesList());
        if (resourceError != null) {
            return "Executor uses invalid resources: Invalid resources: " + resourceError;
        }
        String roleError = singleAllocationRole(executor.getResourcesList());
        if (roleError != null) {
            return "Invalid executor resources: " + roleError;
        }
        ExecutorInfo existing = executors.get(executor.getExecutorId().getValue());
        if (existing != null && !existing.equals(executor)) {
            return "ExecutorInfo is not compatible with existing ExecutorInfo with same ExecutorID.\n"
                    + "------------------------------------------------------------\n"
                    + "Existing ExecutorInfo:\n" + existing
                    + "------------------------------------------------------------\n"
                    + "ExecutorInfo:\n" + executor
                    + "------------------------------------------------------------\n";
        }
        return null;
    }

    private static String singleAllocationRole(List<Resource> resources) {
        Set<String> roles = new LinkedHashSet<>();
        for (Resource resource : resources) {
            if (!resource.getAllocationInfo().hasRole()) {
                return "The resources are not allocated to a role";
            }
            roles.add(resource.getAllocationInfo().getRole());
        }
        if (roles.size() > 1) {
            List<String> list = new ArrayList<>(roles);
            return "The resources have multiple allocation roles ('" + list.get(1) + "' and '" + list.get(0)
                    + "') but only one allocation role is allowed";
        }
        return null;
    }

    private static boolean overlapping(List<Resource> task, List<Resource> executor) {
        Resources a = Resources.of(task);
        Resources b = Resources.of(executor);
        for (String name : a.names()) {
            if (!a.ranges(name).minus(b.ranges(name)).equals(a.ranges(name))) {
                return true;
            }
        }
        return false;
    }
}
