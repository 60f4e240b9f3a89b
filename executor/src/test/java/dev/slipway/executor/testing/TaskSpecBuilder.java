package dev.slipway.executor.testing;

import dev.slipway.executor.task.HealthSpec;
import dev.slipway.executor.task.TaskSpec;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Test TaskSpecs with sensible defaults: a worker running {@code sleep 30}. */
public final class TaskSpecBuilder {
    private String app = "hello";
    private String process = "worker";
    private int index = 1;
    private int release = 3;
    private String command = "sleep 30";
    private final Map<String, String> env = new HashMap<>();
    private int port;
    private HealthSpec health = HealthSpec.none();
    private int killGraceSeconds = 5;
    private String image;
    private int memMb;
    private double cpus;
    private String logUrl;
    private long launchedAtMs;
    private List<String> endedTaskIds = List.of();

    private TaskSpecBuilder() {
    }

    public static TaskSpecBuilder aWorker() {
        return new TaskSpecBuilder();
    }

    /** A web instance on {@code port}, checked by TCP within {@code bootTimeoutSeconds}. */
    public static TaskSpecBuilder aWebInstance(int port, int bootTimeoutSeconds) {
        TaskSpecBuilder builder = new TaskSpecBuilder();
        builder.process = "web";
        builder.port = port;
        builder.health = HealthSpec.tcp(bootTimeoutSeconds);
        return builder;
    }

    public TaskSpecBuilder command(String command) {
        this.command = command;
        return this;
    }

    public TaskSpecBuilder env(String name, String value) {
        env.put(name, value);
        return this;
    }

    /** Checks the instance's health with {@code health} (an {@code http} or {@code tcp} check needs a {@link #port}). */
    public TaskSpecBuilder health(HealthSpecBuilder health) {
        this.health = health.build();
        return this;
    }

    public TaskSpecBuilder port(int port) {
        this.port = port;
        return this;
    }

    public TaskSpecBuilder killGraceSeconds(int seconds) {
        this.killGraceSeconds = seconds;
        return this;
    }

    /** Runs the instance in a container of {@code image} (where an engine answers). */
    public TaskSpecBuilder image(String image) {
        this.image = image;
        return this;
    }

    public TaskSpecBuilder memMb(int memMb) {
        this.memMb = memMb;
        return this;
    }

    public TaskSpecBuilder cpus(double cpus) {
        this.cpus = cpus;
        return this;
    }

    /** Ships the instance's log lines to {@code logUrl}. */
    public TaskSpecBuilder logUrl(String logUrl) {
        this.logUrl = logUrl;
        return this;
    }

    public TaskSpecBuilder app(String app) {
        this.app = app;
        return this;
    }

    public TaskSpecBuilder index(int index) {
        this.index = index;
        return this;
    }

    public TaskSpecBuilder launchedAtMs(long launchedAtMs) {
        this.launchedAtMs = launchedAtMs;
        return this;
    }

    public TaskSpecBuilder endedTaskIds(String... taskIds) {
        this.endedTaskIds = List.of(taskIds);
        return this;
    }

    public TaskSpec build() {
        return new TaskSpec(app, process, index, release, command, env, port, health, killGraceSeconds, image, memMb,
                cpus, logUrl, launchedAtMs, endedTaskIds, null);
    }
}
