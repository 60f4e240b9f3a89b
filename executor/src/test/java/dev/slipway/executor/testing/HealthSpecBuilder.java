package dev.slipway.executor.testing;

import dev.slipway.executor.task.HealthSpec;
import dev.slipway.executor.task.HealthSpec.Type;

/** Test health checks with the defaults of {@link HealthSpec}. */
public final class HealthSpecBuilder {
    private final Type type;
    private String path;
    private String command;
    private int bootTimeoutSeconds = HealthSpec.DEFAULT_BOOT_TIMEOUT_SECONDS;
    private int gracePeriodSeconds = HealthSpec.DEFAULT_GRACE_PERIOD_SECONDS;
    private int intervalSeconds = HealthSpec.DEFAULT_INTERVAL_SECONDS;
    private int timeoutSeconds = HealthSpec.DEFAULT_TIMEOUT_SECONDS;
    private int maxConsecutiveFailures = HealthSpec.DEFAULT_MAX_CONSECUTIVE_FAILURES;

    private HealthSpecBuilder(Type type) {
        this.type = type;
    }

    public static HealthSpecBuilder anHttpCheck(String path) {
        return new HealthSpecBuilder(Type.HTTP).path(path);
    }

    public static HealthSpecBuilder aTcpCheck() {
        return new HealthSpecBuilder(Type.TCP);
    }

    public static HealthSpecBuilder aCommandCheck(String command) {
        HealthSpecBuilder builder = new HealthSpecBuilder(Type.COMMAND);
        builder.command = command;
        return builder;
    }

    public HealthSpecBuilder path(String path) {
        this.path = path;
        return this;
    }

    public HealthSpecBuilder bootTimeoutSeconds(int seconds) {
        this.bootTimeoutSeconds = seconds;
        return this;
    }

    public HealthSpecBuilder gracePeriodSeconds(int seconds) {
        this.gracePeriodSeconds = seconds;
        return this;
    }

    public HealthSpecBuilder intervalSeconds(int seconds) {
        this.intervalSeconds = seconds;
        return this;
    }

    public HealthSpecBuilder timeoutSeconds(int seconds) {
        this.timeoutSeconds = seconds;
        return this;
    }

    public HealthSpecBuilder maxConsecutiveFailures(int failures) {
        this.maxConsecutiveFailures = failures;
        return this;
    }

    public HealthSpec build() {
        return new HealthSpec(type, path, command, bootTimeoutSeconds, gracePeriodSeconds, intervalSeconds,
                timeoutSeconds, maxConsecutiveFailures);
    }
}
