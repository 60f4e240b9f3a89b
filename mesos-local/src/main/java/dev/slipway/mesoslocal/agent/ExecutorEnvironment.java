package dev.slipway.mesoslocal.agent;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import org.apache.mesos.v1.Protos.Environment;
import org.apache.mesos.v1.Protos.ExecutorInfo;

/**
 * The environment a Mesos 1.11 agent gives an executor (slave.cpp {@code executorEnvironment}
 * and the Mesos containerizer): the agent's own environment, the MESOS_* variables, then the
 * command's own variables, which win. Values are never logged.
 */
final class ExecutorEnvironment {
    private static final String DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
    private static final Duration RECOVERY_TIMEOUT = Duration.ofMinutes(15);
    private static final Duration EXECUTOR_REREGISTER_TIMEOUT = Duration.ofSeconds(2);

    private ExecutorEnvironment() {
    }

    /**
     * @param token the executor's authentication token, null when executors are not authenticated
     * @throws IllegalArgumentException when a variable cannot be given (a secret: mesos-local has
     *     no secret resolver)
     */
    static Map<String, String> of(ExecutorInfo executor, Path directory, String agentId, String agentEndpoint,
            boolean checkpoint, Duration shutdownGracePeriod, Map<String, String> inherited, String token) {
        Map<String, String> env = new TreeMap<>(inherited);
        env.putIfAbsent("PATH", DEFAULT_PATH);
        env.put("LIBPROCESS_PORT", "0");
        env.put("MESOS_FRAMEWORK_ID", executor.getFrameworkId().getValue());
        env.put("MESOS_EXECUTOR_ID", executor.getExecutorId().getValue());
        env.put("MESOS_DIRECTORY", directory.toString());
        env.put("MESOS_SANDBOX", directory.toString());
        env.put("MESOS_SLAVE_ID", agentId);
        env.put("MESOS_SLAVE_PID", "slave(1)@" + agentEndpoint);
        env.put("MESOS_AGENT_ENDPOINT", agentEndpoint);
        env.put("MESOS_CHECKPOINT", checkpoint ? "1" : "0");
        env.put("MESOS_HTTP_COMMAND_EXECUTOR", "0");
        Duration grace = executor.hasShutdownGracePeriod()
                ? Duration.ofNanos(executor.getShutdownGracePeriod().getNanoseconds())
                : shutdownGracePeriod;
        env.put("MESOS_EXECUTOR_SHUTDOWN_GRACE_PERIOD", Durations.stout(grace));
        if (checkpoint) {
            env.put("MESOS_RECOVERY_TIMEOUT", Durations.stout(RECOVERY_TIMEOUT));
            env.put("MESOS_SUBSCRIPTION_BACKOFF_MAX", Durations.stout(EXECUTOR_REREGISTER_TIMEOUT));
        }
        for (Environment.Variable variable : executor.getCommand().getEnvironment().getVariablesList()) {
            if (variable.getType() == Environment.Variable.Type.SECRET) {
                throw new IllegalArgumentException("environment variable '" + variable.getName()
                        + "' is a secret, and mesos-local has no secret resolver");
            }
            env.put(variable.getName(), variable.getValue());
        }
        // The agent's own (slave.cpp executorEnvironment); a task's command cannot replace it.
        env.remove("MESOS_EXECUTOR_AUTHENTICATION_TOKEN");
        if (token != null) {
            env.put("MESOS_EXECUTOR_AUTHENTICATION_TOKEN", token);
        }
        return env;
    }
}
