package dev.slipway.executor.task;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The instance the executor runs, as the framework writes it into {@code TaskInfo.data}
 * (snake_case JSON, see docs/internals.md).
 *
 * @param env config vars and the like: secret, so {@link #toString()} shows their names only
 * @param port the instance's port (the one {@code http} and {@code tcp} health checks connect to); 0 when none
 * @param image the Docker image to run the instance in ({@code slipway/stack:<tag>}); null: a plain
 *              host process
 * @param memMb the instance's memory limit in MB (its Mesos {@code mem}); 0: no limit
 * @param cpus the CPUs the instance may use (its Mesos {@code cpus}); 0: no limit
 * @param logUrl where the instance's log lines are shipped ({@code POST}, the framework's
 *               {@code /apps/<app>/log-lines}); null: they stay in the sandbox only
 * @param launchedAtMs when the framework launched the task, in milliseconds since the epoch by its
 *                     clock; 0 when unknown. On the container's label, it keeps a task launched
 *                     after a sweep's list of live tasks from being taken for an orphan.
 * @param endedTaskIds tasks of the framework that ended lately: a container of one still there is
 *                     an orphan (its executor died), maybe holding this instance's port, and is
 *                     removed before this instance starts
 * @param logToken the task's credential for posting to {@code logUrl} ({@code Authorization: Bearer});
 *                 secret, never shown by {@link #toString()}; null: none is sent
 */
public record TaskSpec(String app, String process, int index, int release, String command,
                       Map<String, String> env, int port, HealthSpec health, int killGraceSeconds,
                       String image, int memMb, double cpus, String logUrl, long launchedAtMs,
                       List<String> endedTaskIds, String logToken) {
    public static final int DEFAULT_KILL_GRACE_SECONDS = 10;
    private static final ObjectMapper JSON = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    public TaskSpec {
        requireText(app, "app");
        requireText(process, "process");
        requireText(command, "command");
        if (index < 0) {
            throw new IllegalArgumentException("index must not be negative, not " + index);
        }
        if (release < 0) {
            throw new IllegalArgumentException("release must not be negative, not " + release);
        }
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port " + port + " is not 0..65535");
        }
        if (killGraceSeconds < 0) {
            throw new IllegalArgumentException("kill_grace_seconds must not be negative, not " + killGraceSeconds);
        }
        if (image != null && image.isBlank()) {
            throw new IllegalArgumentException("image must not be blank when given");
        }
        if (memMb < 0) {
            throw new IllegalArgumentException("mem_mb must not be negative, not " + memMb);
        }
        if (cpus < 0 || !Double.isFinite(cpus)) {
            throw new IllegalArgumentException("cpus must be a non-negative number, not " + cpus);
        }
        Objects.requireNonNull(health, "health");
        if (health.type().needsPort() && port == 0) {
            throw new IllegalArgumentException("a" + (health.type() == HealthSpec.Type.HTTP ? "n " : " ")
                    + health.type().json() + " health check needs a port");
        }
        if (logUrl != null) {
            requireHttpUrl(logUrl);
        }
        if (launchedAtMs < 0) {
            throw new IllegalArgumentException("launched_at_ms must not be negative, not " + launchedAtMs);
        }
        env = Map.copyOf(env == null ? Map.of() : env);
        endedTaskIds = List.copyOf(endedTaskIds == null ? List.of() : endedTaskIds);
    }

    /** Parses and validates {@code TaskInfo.data}; the message says what is wrong. */
    public static TaskSpec parse(byte[] json) throws InvalidTaskSpecException {
        try {
            TaskSpec spec = JSON.readValue(json, TaskSpec.class);
            if (spec == null) {
                throw new InvalidTaskSpecException("TaskInfo.data is empty: expected the TaskSpec JSON");
            }
            return spec;
        } catch (ValueInstantiationException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new InvalidTaskSpecException("invalid TaskSpec: " + cause.getMessage(), e);
        } catch (JsonProcessingException e) {
            // The original message leaves out the location, which could quote a config var's value.
            throw new InvalidTaskSpecException("TaskInfo.data is not a TaskSpec: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new InvalidTaskSpecException("TaskInfo.data cannot be read: " + e.getMessage(), e);
        }
    }

    /** The TaskSpec as the JSON the framework writes (tests and tools). */
    public byte[] toJson() {
        try {
            return JSON.writeValueAsBytes(this);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write a TaskSpec as JSON", e);
        }
    }

    /** Heroku's dyno name, {@code web.1}: also the {@code DYNO} variable and the log prefix. */
    public String dyno() {
        return process + "." + index;
    }

    public Duration killGrace() {
        return Duration.ofSeconds(killGraceSeconds);
    }

    @Override
    public String toString() {
        return "TaskSpec[app=" + app + ", dyno=" + dyno() + ", release=v" + release + ", port=" + port
                + ", health=" + health + ", kill_grace_seconds=" + killGraceSeconds
                + (image == null ? "" : ", image=" + image)
                + (memMb == 0 ? "" : ", mem_mb=" + memMb) + (cpus == 0 ? "" : ", cpus=" + cpus)
                + (logUrl == null ? "" : ", log_url=" + logUrl)
                + ", env names=" + new TreeMap<>(env).keySet() + "]";
    }

    @JsonCreator
    static TaskSpec fromJson(@JsonProperty("app") String app, @JsonProperty("process") String process,
                             @JsonProperty("index") int index, @JsonProperty("release") int release,
                             @JsonProperty("command") String command, @JsonProperty("env") Map<String, String> env,
                             @JsonProperty("port") int port, @JsonProperty("health") HealthSpec health,
                             @JsonProperty("kill_grace_seconds") Integer killGraceSeconds,
                             @JsonProperty("image") String image, @JsonProperty("mem_mb") Integer memMb,
                             @JsonProperty("cpus") Double cpus, @JsonProperty("log_url") String logUrl,
                             @JsonProperty("launched_at_ms") Long launchedAtMs,
                             @JsonProperty("ended_task_ids") List<String> endedTaskIds,
                             @JsonProperty("log_token") String logToken) {
        return new TaskSpec(app, process, index, release, command, env, port,
                health == null ? HealthSpec.none() : health,
                killGraceSeconds == null ? DEFAULT_KILL_GRACE_SECONDS : killGraceSeconds,
                image, memMb == null ? 0 : memMb, cpus == null ? 0 : cpus, logUrl,
                launchedAtMs == null ? 0 : launchedAtMs, endedTaskIds, logToken);
    }

    private static void requireHttpUrl(String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("log_url is not a URL: " + e.getMessage());
        }
        if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
            throw new IllegalArgumentException("log_url must be an absolute http(s) URL, not " + url);
        }
    }

    private static void requireText(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " must not be blank");
        }
    }
}
