package dev.slipway.zk;

import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The bounds of what an app runs: process type names are Procfile names ({@value #NAME_RULE}) where
 * they enter (the API, the Procfile), an app has at most {@value #MAX_TYPES} process types and at
 * most {@value #MAX_QUANTITY} instances of each. They keep every app's record small, whatever
 * sequence of requests made it (ZooKeeper refuses a record over 1 MB, and the app would be
 * unwritable). Records take the names older versions let in too ({@value #STORED_RULE}: either
 * case, longer), so that what those stored stays readable.
 */
public final class ProcessTypes {
    public static final String NAME_RULE = "[a-z][a-z0-9_-]{0,29}";
    public static final int MAX_NAME_LENGTH = 30;
    public static final int MAX_TYPES = 50;
    public static final int MAX_QUANTITY = 100;
    /** A process type's command, as a Procfile or a buildpack gives it. */
    public static final int MAX_COMMAND_LENGTH = 4096;
    public static final String STORED_RULE = "[A-Za-z0-9_-]{1,64}";
    private static final Pattern NAME = Pattern.compile(NAME_RULE);
    private static final Pattern STORED = Pattern.compile(STORED_RULE);

    private ProcessTypes() {
    }

    public static boolean isName(String name) {
        return name != null && NAME.matcher(name).matches();
    }

    /** What is wrong with {@code name} as a process type, for people; null when it is a valid one. */
    public static String problem(String name) {
        if (isName(name)) {
            return null;
        }
        return "process type '" + printable(name) + "' is not a valid name: a Procfile name is a lowercase letter "
                + "followed by at most " + (MAX_NAME_LENGTH - 1) + " lowercase letters, digits, '_' or '-'";
    }

    /** {@code name} shortened and without control characters, to be quoted in a message. */
    public static String printable(String name) {
        if (name == null) {
            return "null";
        }
        String shown = name.replaceAll("\\p{Cntrl}", "?");
        return shown.length() > 40 ? shown.substring(0, 40) + "..." : shown;
    }

    /**
     * {@link IllegalArgumentException} unless there are at most {@link #MAX_TYPES} keys, each a name
     * a record takes ({@value #STORED_RULE}).
     */
    static void requireStoredKeys(Map<String, ?> byType, String what) {
        if (byType.size() > MAX_TYPES) {
            throw new IllegalArgumentException(what + " names " + byType.size() + " process types: at most "
                    + MAX_TYPES);
        }
        byType.keySet().forEach(name -> {
            if (name == null || !STORED.matcher(name).matches()) {
                throw new IllegalArgumentException(what + ": process type '" + printable(name)
                        + "' is not a valid name");
            }
        });
    }

    /**
     * A stored formation as it can be kept: without the entries no version could run (names past
     * {@value #STORED_RULE}, negative or huge quantities; what the 263-PATCH attack left), and at
     * most the first {@link #MAX_TYPES} types by name. So an app written before these bounds reads
     * back, and its next write stores it small.
     */
    static Map<String, Integer> readable(Map<String, Integer> formation) {
        Map<String, Integer> kept = new TreeMap<>();
        if (formation != null) {
            new TreeMap<>(formation).forEach((type, quantity) -> {
                if (kept.size() < MAX_TYPES && type != null && STORED.matcher(type).matches() && quantity != null
                        && quantity >= 0 && quantity <= MAX_QUANTITY) {
                    kept.put(type, quantity);
                }
            });
        }
        return kept;
    }
}
