package dev.slipway.executor.testing;

import dev.slipway.executor.task.HealthSpec;
import dev.slipway.executor.task.TaskSpec;
import java.util.HashMap;
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

    public TaskSpecBuilder killGraceSeconds(int seconds) {
        this.killGraceSeconds = seconds;
        return this;
    }

    public TaskSpec build() {
        return new TaskSpec(app, process, index, release, command, env, port, health, killGraceSeconds);
    }
}
