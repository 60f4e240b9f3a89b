package dev.slipway.framework.deploy;

import dev.slipway.zk.ProcessTypes;
import dev.slipway.zk.Size;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The named sizes a process type may be given ({@code ps:resize web=large}), as Heroku's dyno
 * types, and the one a type has until it is resized. The built-in ones ({@link #DEFAULT}) are
 * documented in docs/scheduling.md; {@code slipway up --size NAME=CPUS:MEMORY_MB} changes or adds
 * one, {@code --default-size NAME} picks the default.
 *
 * @param byName      the sizes, smallest first
 * @param defaultName the size of process types never resized
 */
public record Sizes(Map<String, Size> byName, String defaultName) {
    /** Sizes a framework may define, so that the list stays readable. */
    public static final int MAX_SIZES = 50;

    /** The built-in sizes; {@code small} is what every instance got before sizes existed. */
    public static final Sizes DEFAULT = new Sizes(List.of(
            new Size("small", 0.1, 256),
            new Size("medium", 0.25, 512),
            new Size("large", 0.5, 1024),
            new Size("xlarge", 1, 2048),
            new Size("2xlarge", 2, 4096)), "small");

    public Sizes {
        Objects.requireNonNull(defaultName, "defaultName");
        Map<String, Size> copy = new LinkedHashMap<>();
        byName.forEach((name, size) -> {
            if (!name.equals(size.name())) {
                throw new IllegalArgumentException("size " + size.describe() + " is listed as '" + name + "'");
            }
            copy.put(name, size);
        });
        if (copy.size() > MAX_SIZES) {
            throw new IllegalArgumentException("at most " + MAX_SIZES + " sizes, not " + copy.size());
        }
        if (!copy.containsKey(defaultName)) {
            throw new IllegalArgumentException("the default size '" + defaultName + "' is not one of the sizes: "
                    + String.join(", ", copy.keySet()));
        }
        byName = Collections.unmodifiableMap(copy);
    }

    public Sizes(List<Size> sizes, String defaultName) {
        this(index(sizes), defaultName);
    }

    private static Map<String, Size> index(List<Size> sizes) {
        Map<String, Size> byName = new LinkedHashMap<>();
        for (Size size : sizes) {
            if (size.name() == null) {
                throw new IllegalArgumentException("a size in the list needs a name: " + size.describe());
            }
            byName.put(size.name(), size);
        }
        return byName;
    }

    /** The size of process types never resized. */
    public Size defaultSize() {
        return byName.get(defaultName);
    }

    /** {@code size} itself, or the default for null (a process type never resized). */
    public Size orDefault(Size size) {
        return size == null ? defaultSize() : size;
    }

    /** The size named {@code name}; {@link IllegalArgumentException} naming the sizes there are otherwise. */
    public Size named(String name) {
        Size size = byName.get(name);
        if (size == null) {
            throw new IllegalArgumentException("unknown size '" + ProcessTypes.printable(name)
                    + "': the sizes are " + String.join(", ", byName.keySet()));
        }
        return size;
    }

    /** These sizes with {@code size} added, or in place of the one of the same name. */
    public Sizes with(Size size) {
        Map<String, Size> next = new LinkedHashMap<>(byName);
        next.put(Objects.requireNonNull(size.name(), "a size's name"), size);
        List<Size> sorted = new ArrayList<>(next.values());
        sorted.sort(Comparator.comparingDouble(Size::cpus).thenComparingInt(Size::memoryMb));
        return new Sizes(sorted, defaultName);
    }

    /** These sizes with {@code name} as the default. */
    public Sizes withDefault(String name) {
        named(name);
        return new Sizes(byName, name);
    }

    /**
     * A size as {@code slipway up --size} takes it, {@code NAME=CPUS:MEMORY_MB}, e.g.
     * {@code large=0.5:1024}; {@link IllegalArgumentException} saying what is wrong otherwise.
     */
    public static Size parse(String text) {
        String[] nameAndRest = text.split("=", 2);
        String[] parts = nameAndRest.length == 2 ? nameAndRest[1].split(":", -1) : new String[0];
        if (parts.length != 2) {
            throw new IllegalArgumentException("size '" + ProcessTypes.printable(text)
                    + "' is not NAME=CPUS:MEMORY_MB, e.g. large=0.5:1024");
        }
        double cpus;
        int memory;
        try {
            cpus = Double.parseDouble(parts[0]);
            memory = Integer.parseInt(parts[1]);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("size '" + ProcessTypes.printable(text)
                    + "': CPUS is a number and MEMORY_MB a whole number, e.g. large=0.5:1024");
        }
        try {
            return new Size(nameAndRest[0], cpus, memory);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("size '" + ProcessTypes.printable(text) + "': "
                    + e.getMessage());
        }
    }
}
