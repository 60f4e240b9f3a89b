package dev.slipway.zk;

import com.fasterxml.jackson.annotation.JsonCreator;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * An app's own config vars (those its users set), kept at {@code /apps/<app>/config} and copied
 * into each release it makes. Bounded as Heroku bounds them: names {@code [A-Za-z_][A-Za-z0-9_]*},
 * a value of at most {@value #MAX_VALUE_BYTES} bytes, all of them at most {@value #MAX_TOTAL_BYTES}
 * bytes (names and values, UTF-8). Values are secret: {@link #toString()} shows names only and no
 * message here ever holds a value.
 */
public record ConfigVars(Map<String, String> vars) {
    public static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    public static final int MAX_NAME_LENGTH = 256;
    public static final int MAX_VALUE_BYTES = 32 * 1024;
    public static final int MAX_TOTAL_BYTES = 64 * 1024;
    public static final ConfigVars NONE = new ConfigVars(Map.of());

    @JsonCreator
    public ConfigVars {
        vars = vars == null ? Map.of() : Map.copyOf(vars);
        String problem = problem(vars);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
    }

    /** What is wrong with these vars, naming the var (never its value); null when nothing is. */
    public static String problem(Map<String, String> vars) {
        long total = 0;
        for (String name : new TreeSet<>(vars.keySet())) {
            String nameProblem = nameProblem(name);
            if (nameProblem != null) {
                return nameProblem;
            }
            String value = vars.get(name);
            if (value == null) {
                return "config var " + name + " has no value";
            }
            int bytes = value.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
            if (bytes > MAX_VALUE_BYTES) {
                return "config var " + name + ": its value takes " + bytes + " bytes, more than the "
                        + MAX_VALUE_BYTES / 1024 + " KB a value may take";
            }
            total += name.length() + bytes;
        }
        if (total > MAX_TOTAL_BYTES) {
            return "the config vars would take " + total + " bytes in all, more than the " + MAX_TOTAL_BYTES / 1024
                    + " KB an app's config may take";
        }
        return null;
    }

    /** What is wrong with {@code name} as a config var's name; null when nothing is. */
    public static String nameProblem(String name) {
        if (name == null || name.isEmpty()) {
            return "a config var's name may not be empty";
        }
        if (name.length() > MAX_NAME_LENGTH || !NAME.matcher(name).matches()) {
            String shown = name.length() > 64 ? name.substring(0, 64) + "..." : name;
            return "config var name '" + shown + "' is not valid: a name is letters, digits and _, not starting with"
                    + " a digit ([A-Za-z_][A-Za-z0-9_]*, at most " + MAX_NAME_LENGTH + " characters)";
        }
        return null;
    }

    /** These vars changed: {@code changes} maps a name to its new value, or to null to unset it. */
    public ConfigVars with(Map<String, String> changes) {
        Map<String, String> next = new TreeMap<>(vars);
        changes.forEach((name, value) -> {
            if (value == null) {
                next.remove(name);
            } else {
                next.put(name, value);
            }
        });
        return new ConfigVars(next);
    }

    /** Shows the names only: values may be secret. */
    @Override
    public String toString() {
        return "ConfigVars" + new TreeSet<>(vars.keySet());
    }
}
