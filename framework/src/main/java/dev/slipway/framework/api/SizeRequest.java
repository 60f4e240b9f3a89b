package dev.slipway.framework.api;

import dev.slipway.framework.FrameworkConfig;
import dev.slipway.framework.offer.AgentRoom;
import dev.slipway.zk.Size;

/**
 * A process type's new size as {@code PATCH /apps/{app}/formation/{type}} takes it: {@code size},
 * a name ({@code "large"}, Heroku's field), or {@code cpus} and/or {@code memory_mb} (the one not
 * given kept from the type's current size). Refused (422) when the name is unknown, the numbers
 * are out of bounds, or no agent the framework has seen could ever hold it.
 */
final class SizeRequest {
    private SizeRequest() {
    }

    /** The framework's sizes and what it knows of its agents. */
    record Rules(FrameworkConfig.Resources resources, AgentRoom agents) {
        /** The size an app's type has: its own, else the default. */
        Size of(Size stored) {
            return resources.sizes().orDefault(stored);
        }

        /**
         * Why an instance of a type of this size (null: the default) fits no agent seen, with its
         * executor's share; null when one could hold it, or none has been seen.
         */
        String neverFits(Size stored) {
            Size size = of(stored);
            return agents.refusal(size.cpus() + resources.executorCpus(), size.memoryMb() + resources.executorMemMb());
        }
    }

    /**
     * The size asked for, checked; null when the request names none.
     *
     * @param current the type's size now (null: the default)
     */
    static Size parse(String name, Double cpus, Double memoryMb, Size current, Rules rules) {
        if (name == null && cpus == null && memoryMb == null) {
            return null;
        }
        if (name != null && (cpus != null || memoryMb != null)) {
            throw new Invalid(422, "give size, or cpus and memory_mb, not both");
        }
        Size size;
        try {
            size = name != null ? rules.resources().sizes().named(name) : explicit(cpus, memoryMb, rules.of(current),
                    rules);
        } catch (IllegalArgumentException e) {
            throw new Invalid(422, e.getMessage());
        }
        FrameworkConfig.Resources r = rules.resources();
        String refusal = rules.neverFits(size);
        if (refusal != null) {
            throw new Invalid(422, "size " + size.describe() + " with its executor's " + Size.format(r.executorCpus())
                    + " cpus and " + Size.format(r.executorMemMb()) + " MB fits no agent: " + refusal);
        }
        return size;
    }

    /** Cpus and memory given: the named size that has both, else a size of its own. */
    private static Size explicit(Double cpus, Double memoryMb, Size current, Rules rules) {
        if (memoryMb != null && (memoryMb != Math.rint(memoryMb) || Double.isInfinite(memoryMb))) {
            throw new IllegalArgumentException("memory_mb is a whole number of MB, not " + memoryMb);
        }
        double c = cpus != null ? cpus : current.cpus();
        double m = memoryMb != null ? memoryMb : current.memoryMb();
        if (m > Integer.MAX_VALUE || m < Integer.MIN_VALUE) {
            throw new IllegalArgumentException("memory must be from " + Size.MIN_MEMORY_MB + " to "
                    + Size.MAX_MEMORY_MB + " MB, not " + Size.format(m));
        }
        Size size = Size.of(c, (int) m);
        return rules.resources().sizes().byName().values().stream()
                .filter(named -> named.fits(size.cpus(), size.memoryMb())).findFirst().orElse(size);
    }
}
