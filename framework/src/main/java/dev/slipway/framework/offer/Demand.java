package dev.slipway.framework.offer;

import dev.slipway.framework.placement.Constraint;
import java.util.List;
import java.util.Objects;

/**
 * What one instance needs from an offer, its executor's share included.
 *
 * @param group the instances spread and constrained together: one app's process type ({@code hello web})
 * @param process the process type's name, for vetoes ({@code web})
 * @param constraints where the process type's instances may run
 */
public record Demand(String key, double cpus, double memMb, boolean needsPort, String group, String process,
        List<Constraint> constraints) {
    public Demand {
        Objects.requireNonNull(key, "key");
        group = group == null ? key : group;
        process = process == null ? "" : process;
        constraints = constraints == null ? List.of() : List.copyOf(constraints);
    }

    /** The group of one app's process type: {@code hello web}. */
    public static String group(String app, String process) {
        return app + " " + process;
    }

    /** A demand in a group of its own, without constraints. */
    public Demand(String key, double cpus, double memMb, boolean needsPort) {
        this(key, cpus, memMb, needsPort, key, "", List.of());
    }
}
