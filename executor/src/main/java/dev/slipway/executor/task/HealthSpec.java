package dev.slipway.executor.task;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonValue;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * How the executor decides that an instance is up: {@code tcp} (a connect to 127.0.0.1:PORT
 * succeeds within the boot timeout, like Heroku's R10 rule) or {@code none}.
 */
public record HealthSpec(Type type, int bootTimeoutSeconds) {
    public static final int DEFAULT_BOOT_TIMEOUT_SECONDS = 60;

    public enum Type {
        TCP, NONE;

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
            throw new IllegalArgumentException("health type '" + value + "' is not tcp or none");
        }
    }

    public HealthSpec {
        Objects.requireNonNull(type, "health.type");
        if (bootTimeoutSeconds <= 0) {
            throw new IllegalArgumentException("health.boot_timeout_seconds must be positive, not " + bootTimeoutSeconds);
        }
    }

    public static HealthSpec none() {
        return new HealthSpec(Type.NONE, DEFAULT_BOOT_TIMEOUT_SECONDS);
    }

    public static HealthSpec tcp(int bootTimeoutSeconds) {
        return new HealthSpec(Type.TCP, bootTimeoutSeconds);
    }

    public Duration bootTimeout() {
        return Duration.ofSeconds(bootTimeoutSeconds);
    }

    @JsonCreator
    static HealthSpec fromJson(@JsonProperty("type") Type type,
                               @JsonProperty("boot_timeout_seconds") Integer bootTimeoutSeconds) {
        return new HealthSpec(type == null ? Type.NONE : type,
                bootTimeoutSeconds == null ? DEFAULT_BOOT_TIMEOUT_SECONDS : bootTimeoutSeconds);
    }
}
