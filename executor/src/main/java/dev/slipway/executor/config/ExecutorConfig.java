package dev.slipway.executor.config;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * What the Mesos agent tells its executor through the environment (apache/mesos
 * docs/executor-http-api.md, "Executor Environment Variables"), read once and validated at
 * start-up.
 *
 * @param agentEndpoint            the agent's executor API, {@code http://<MESOS_AGENT_ENDPOINT>/api/v1/executor}
 * @param frameworkId              {@code MESOS_FRAMEWORK_ID}
 * @param executorId               {@code MESOS_EXECUTOR_ID}
 * @param sandbox                  {@code MESOS_SANDBOX}, else {@code MESOS_DIRECTORY}: where the fetcher put the slug
 * @param checkpoint               {@code MESOS_CHECKPOINT}: whether to survive an agent restart by re-subscribing
 * @param recoveryTimeout          {@code MESOS_RECOVERY_TIMEOUT}: how long to keep re-subscribing
 * @param subscriptionBackoffMax   {@code MESOS_SUBSCRIPTION_BACKOFF_MAX}: the longest wait between two attempts
 * @param shutdownGracePeriod      {@code MESOS_EXECUTOR_SHUTDOWN_GRACE_PERIOD}: how long the agent waits after SHUTDOWN
 * @param authenticationToken      {@code MESOS_EXECUTOR_AUTHENTICATION_TOKEN}: the token the agent gave this executor
 *                                 (sent as {@code Authorization: Bearer} on every call); null where the agent
 *                                 does not authenticate executors. A secret: never logged, {@link #toString()}
 *                                 hides it
 */
public record ExecutorConfig(URI agentEndpoint, String frameworkId, String executorId, Path sandbox,
                             boolean checkpoint, Duration recoveryTimeout, Duration subscriptionBackoffMax,
                             Duration shutdownGracePeriod, String authenticationToken) {
    /** The Mesos agent's defaults ({@code --recovery_timeout}, {@code --executor_reregistration_timeout}, ...). */
    static final Duration DEFAULT_RECOVERY_TIMEOUT = Duration.ofMinutes(15);
    static final Duration DEFAULT_SUBSCRIPTION_BACKOFF_MAX = Duration.ofSeconds(2);
    static final Duration DEFAULT_SHUTDOWN_GRACE_PERIOD = Duration.ofSeconds(5);
    public static final String API_PATH = "/api/v1/executor";

    public ExecutorConfig {
        Objects.requireNonNull(agentEndpoint, "agentEndpoint");
        requireText(frameworkId, "frameworkId");
        requireText(executorId, "executorId");
        Objects.requireNonNull(sandbox, "sandbox");
        requirePositive(recoveryTimeout, "recoveryTimeout");
        requirePositive(subscriptionBackoffMax, "subscriptionBackoffMax");
        requirePositive(shutdownGracePeriod, "shutdownGracePeriod");
        authenticationToken = authenticationToken == null || authenticationToken.isBlank() ? null
                : authenticationToken.strip();
    }

    /** Where the fetcher unpacked the slug: {@code $MESOS_SANDBOX/app}. */
    public Path appDir() {
        return sandbox.resolve("app");
    }

    /**
     * Reads and validates the environment.
     *
     * @throws InvalidConfigException naming the first missing or malformed variable (never its value
     *                                when the value could be a secret; none of these are)
     */
    public static ExecutorConfig fromEnvironment(Map<String, String> env) {
        URI endpoint = endpoint(required(env, "MESOS_AGENT_ENDPOINT"));
        String frameworkId = required(env, "MESOS_FRAMEWORK_ID");
        String executorId = required(env, "MESOS_EXECUTOR_ID");
        Path sandbox = sandbox(env);
        boolean checkpoint = flag(env, "MESOS_CHECKPOINT");
        Duration recovery = duration(env, "MESOS_RECOVERY_TIMEOUT", DEFAULT_RECOVERY_TIMEOUT);
        Duration backoffMax = duration(env, "MESOS_SUBSCRIPTION_BACKOFF_MAX", DEFAULT_SUBSCRIPTION_BACKOFF_MAX);
        Duration shutdownGrace = duration(env, "MESOS_EXECUTOR_SHUTDOWN_GRACE_PERIOD", DEFAULT_SHUTDOWN_GRACE_PERIOD);
        return new ExecutorConfig(endpoint, frameworkId, executorId, sandbox, checkpoint, recovery, backoffMax,
                shutdownGrace, env.get("MESOS_EXECUTOR_AUTHENTICATION_TOKEN"));
    }

    @Override
    public String toString() {
        return "ExecutorConfig[agentEndpoint=" + agentEndpoint + ", frameworkId=" + frameworkId + ", executorId="
                + executorId + ", sandbox=" + sandbox + ", checkpoint=" + checkpoint + ", recoveryTimeout="
                + recoveryTimeout + ", subscriptionBackoffMax=" + subscriptionBackoffMax + ", shutdownGracePeriod="
                + shutdownGracePeriod + ", authenticationToken=" + (authenticationToken == null ? "none" : "***")
                + "]";
    }

    private static String required(Map<String, String> env, String name) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            throw new InvalidConfigException(name + " is not set: the Mesos agent sets it for every executor");
        }
        return value.strip();
    }

    private static URI endpoint(String hostPort) {
        URI uri;
        try {
            uri = URI.create("http://" + hostPort + API_PATH);
        } catch (IllegalArgumentException e) {
            throw new InvalidConfigException("MESOS_AGENT_ENDPOINT '" + hostPort + "' is not host:port", e);
        }
        if (uri.getHost() == null || uri.getPort() <= 0 || uri.getRawPath().length() != API_PATH.length()) {
            throw new InvalidConfigException("MESOS_AGENT_ENDPOINT '" + hostPort + "' is not host:port");
        }
        return uri;
    }

    private static Path sandbox(Map<String, String> env) {
        String name = env.get("MESOS_SANDBOX") != null && !env.get("MESOS_SANDBOX").isBlank()
                ? "MESOS_SANDBOX" : "MESOS_DIRECTORY";
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            throw new InvalidConfigException("neither MESOS_SANDBOX nor MESOS_DIRECTORY is set: "
                    + "the executor needs its sandbox directory");
        }
        Path path = Path.of(value.strip()).toAbsolutePath();
        if (!Files.isDirectory(path)) {
            throw new InvalidConfigException(name + " '" + path + "' is not a directory");
        }
        return path;
    }

    private static boolean flag(Map<String, String> env, String name) {
        String value = env.getOrDefault(name, "").strip().toLowerCase(Locale.ROOT);
        return switch (value) {
            case "1", "true" -> true;
            case "", "0", "false" -> false;
            default -> throw new InvalidConfigException(name + " '" + value + "' is not 1, 0, true or false");
        };
    }

    private static Duration duration(Map<String, String> env, String name, Duration fallback) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        Duration parsed;
        try {
            parsed = MesosDuration.parse(value);
        } catch (IllegalArgumentException e) {
            throw new InvalidConfigException(name + ": " + e.getMessage(), e);
        }
        if (parsed.isZero()) {
            throw new InvalidConfigException(name + " '" + value + "' must be longer than zero");
        }
        return parsed;
    }

    private static void requireText(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " must not be blank");
        }
    }

    private static void requirePositive(Duration value, String name) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be a positive duration");
        }
    }
}
