package dev.slipway.executor.task;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonValue;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * How the executor decides that an instance is up, and keeps deciding that it still is: the
 * {@code health} object of the TaskSpec (docs/health-checks.md). The defaults are Marathon's, and
 * the boot timeout is Heroku's R10 rule for {@code web}.
 *
 * @param type                   {@code http}, {@code tcp}, {@code command}, or {@code none} (no check)
 * @param path                   what an {@code http} check GETs; starts with {@code /}
 * @param command                what a {@code command} check runs with {@code bash -c}; null for the others
 * @param bootTimeoutSeconds     for an instance with a port: by when the first check must pass
 * @param gracePeriodSeconds     for an instance without a port: by when the first check must pass
 * @param intervalSeconds        between two checks once the first has passed
 * @param timeoutSeconds         how long one check may take before it counts as failed
 * @param maxConsecutiveFailures failed checks in a row, after the first pass, that end the instance
 */
public record HealthSpec(Type type, String path, String command, int bootTimeoutSeconds, int gracePeriodSeconds,
                         int intervalSeconds, int timeoutSeconds, int maxConsecutiveFailures) {
    public static final String DEFAULT_PATH = "/";
    public static final int DEFAULT_BOOT_TIMEOUT_SECONDS = 60;
    public static final int DEFAULT_GRACE_PERIOD_SECONDS = 300;
    public static final int DEFAULT_INTERVAL_SECONDS = 10;
    public static final int DEFAULT_TIMEOUT_SECONDS = 5;
    public static final int DEFAULT_MAX_CONSECUTIVE_FAILURES = 3;
    /** Visible ASCII only: the path goes into the request line as it is. */
    private static final Pattern PATH = Pattern.compile("/[\\x21-\\x7E&&[^#]]*");

    public enum Type {
        HTTP, TCP, COMMAND, NONE;

        @JsonValue
        public String json() {
            return name().toLowerCase(Locale.ROOT);
        }

        @JsonCreator
        public static Type parse(String value) {
            for (Type type : values()) {
                if (type.json().equals(value)) {
                    return type;
                }
            }
            throw new IllegalArgumentException("health.type '" + value + "' is not http, tcp, command or none");
        }

        /** Whether the check talks to the instance's port (which it must then have). */
        public boolean needsPort() {
            return this == HTTP || this == TCP;
        }
    }

    public HealthSpec {
        Objects.requireNonNull(type, "health.type");
        if (path == null) {
            path = DEFAULT_PATH;
        }
        if (!PATH.matcher(path).matches()) {
            throw new IllegalArgumentException("health.path must start with / and hold only visible ASCII characters "
                    + "(percent-encode the rest), not '" + path + "'");
        }
        if (type == Type.COMMAND && (command == null || command.isBlank())) {
            throw new IllegalArgumentException("health.command must not be blank for a command health check");
        }
        requirePositive(bootTimeoutSeconds, "boot_timeout_seconds");
        requirePositive(gracePeriodSeconds, "grace_period_seconds");
        requirePositive(intervalSeconds, "interval_seconds");
        requirePositive(timeoutSeconds, "timeout_seconds");
        requirePositive(maxConsecutiveFailures, "max_consecutive_failures");
    }

    /** No check: the instance counts as up once it runs. */
    public static HealthSpec none() {
        return of(Type.NONE, null, null);
    }

    /** Today's check of {@code web}: a TCP connect to PORT, which must succeed within the boot timeout. */
    public static HealthSpec tcp(int bootTimeoutSeconds) {
        return new HealthSpec(Type.TCP, DEFAULT_PATH, null, bootTimeoutSeconds, DEFAULT_GRACE_PERIOD_SECONDS,
                DEFAULT_INTERVAL_SECONDS, DEFAULT_TIMEOUT_SECONDS, DEFAULT_MAX_CONSECUTIVE_FAILURES);
    }

    /** A check of {@code type} with every default. */
    public static HealthSpec of(Type type, String path, String command) {
        return new HealthSpec(type, path, command, DEFAULT_BOOT_TIMEOUT_SECONDS, DEFAULT_GRACE_PERIOD_SECONDS,
                DEFAULT_INTERVAL_SECONDS, DEFAULT_TIMEOUT_SECONDS, DEFAULT_MAX_CONSECUTIVE_FAILURES);
    }

    public Duration bootTimeout() {
        return Duration.ofSeconds(bootTimeoutSeconds);
    }

    public Duration gracePeriod() {
        return Duration.ofSeconds(gracePeriodSeconds);
    }

    public Duration interval() {
        return Duration.ofSeconds(intervalSeconds);
    }

    public Duration timeout() {
        return Duration.ofSeconds(timeoutSeconds);
    }

    @JsonCreator
    static HealthSpec fromJson(@JsonProperty("type") Type type, @JsonProperty("path") String path,
                               @JsonProperty("command") String command,
                               @JsonProperty("boot_timeout_seconds") Integer bootTimeoutSeconds,
                               @JsonProperty("grace_period_seconds") Integer gracePeriodSeconds,
                               @JsonProperty("interval_seconds") Integer intervalSeconds,
                               @JsonProperty("timeout_seconds") Integer timeoutSeconds,
                               @JsonProperty("max_consecutive_failures") Integer maxConsecutiveFailures) {
        return new HealthSpec(type == null ? Type.NONE : type, path, command,
                orDefault(bootTimeoutSeconds, DEFAULT_BOOT_TIMEOUT_SECONDS),
                orDefault(gracePeriodSeconds, DEFAULT_GRACE_PERIOD_SECONDS),
                orDefault(intervalSeconds, DEFAULT_INTERVAL_SECONDS),
                orDefault(timeoutSeconds, DEFAULT_TIMEOUT_SECONDS),
                orDefault(maxConsecutiveFailures, DEFAULT_MAX_CONSECUTIVE_FAILURES));
    }

    private static int orDefault(Integer value, int fallback) {
        return value == null ? fallback : value;
    }

    private static void requirePositive(int value, String field) {
        if (value <= 0) {
            throw new IllegalArgumentException("health." + field + " must be positive, not " + value);
        }
    }
}
