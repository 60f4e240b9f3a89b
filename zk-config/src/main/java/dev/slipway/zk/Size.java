package dev.slipway.zk;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * What one instance of a process type may use, as Heroku's dyno types: cpus (shares of a core,
 * declared to Mesos and given to the container as CPU shares) and memory (declared to Mesos and
 * the container's hard limit). Stored resolved, so that an instance launches with the same
 * resources whatever sizes the framework is started with later.
 *
 * @param name     the size's name ({@code large}), or null for one given as cpus and memory
 * @param cpus     from {@value #MIN_CPUS} to {@value #MAX_CPUS}
 * @param memoryMb from {@value #MIN_MEMORY_MB} to {@value #MAX_MEMORY_MB}
 */
public record Size(String name, double cpus, int memoryMb) {
    public static final double MIN_CPUS = 0.01;
    public static final double MAX_CPUS = 1024;
    public static final int MIN_MEMORY_MB = 32;
    /** 1 TiB. */
    public static final int MAX_MEMORY_MB = 1024 * 1024;
    public static final String NAME_RULE = "[a-z0-9][a-z0-9_-]{0,29}";
    private static final Pattern NAME = Pattern.compile(NAME_RULE);

    public Size {
        if (name != null && !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("size name '" + ProcessTypes.printable(name) + "' is not valid: a "
                    + "lowercase letter or digit followed by at most 29 lowercase letters, digits, '_' or '-'");
        }
        if (!(cpus >= MIN_CPUS && cpus <= MAX_CPUS)) {
            throw new IllegalArgumentException("cpus must be from " + MIN_CPUS + " to " + format(MAX_CPUS) + ", not "
                    + format(cpus));
        }
        if (memoryMb < MIN_MEMORY_MB || memoryMb > MAX_MEMORY_MB) {
            throw new IllegalArgumentException("memory must be from " + MIN_MEMORY_MB + " to " + MAX_MEMORY_MB
                    + " MB, not " + memoryMb);
        }
    }

    /** A size given as cpus and memory, without a name. */
    public static Size of(double cpus, int memoryMb) {
        return new Size(null, cpus, memoryMb);
    }

    /** Whether an instance with these resources has this size (the name aside). */
    public boolean fits(double instanceCpus, int instanceMemoryMb) {
        return Math.abs(instanceCpus - cpus) < 1e-9 && instanceMemoryMb == memoryMb;
    }

    /** For people: {@code large (0.5 cpus, 1024 MB)}, or {@code 0.5 cpus, 1024 MB} without a name. */
    public String describe() {
        String resources = format(cpus) + " cpus, " + memoryMb + " MB";
        return name == null ? resources : name + " (" + resources + ")";
    }

    /** {@code 0.5}, {@code 2}: whole numbers without a decimal point. */
    public static String format(double value) {
        if (value == Math.rint(value) && !Double.isInfinite(value)) {
            return Long.toString((long) value);
        }
        return String.format(Locale.ROOT, "%.2f", value).replaceAll("0+$", "");
    }
}
