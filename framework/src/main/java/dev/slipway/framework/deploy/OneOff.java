package dev.slipway.framework.deploy;

import dev.slipway.zk.Instance;
import dev.slipway.zk.Size;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A one-off dyno ({@code slipway run}), as Heroku's: a command run once with an app's release, its
 * config and Slipway's environment, as a Mesos task of its own named {@code run.N}. It is not part
 * of the formation: it is never restarted nor routed, and it ends when its command ends.
 *
 * @param index           the N of {@code run.N}
 * @param release         the release it runs (the app's running one when it was asked for)
 * @param env             variables set over the app's config ({@code --env}); secret: never logged
 * @param size            its size, null for the size of the app's {@code web}
 * @param timeToLiveSeconds how long it may run before it is stopped; 0: no limit
 */
public record OneOff(String app, int index, String command, int release, Map<String, String> env, Size size,
                     long timeToLiveSeconds, Instant requestedAt) {
    /** The process type one-off dynos have: {@code run.N}. */
    public static final String TYPE = "run";
    private static final Pattern EXITED = Pattern.compile("^(?:killed: )?exited (?:with code )?(-?\\d+)");
    private static final Pattern SIGNALLED = Pattern.compile("^(?:killed: )?killed by signal (\\d+)");

    public OneOff {
        Objects.requireNonNull(app, "app");
        Objects.requireNonNull(command, "command");
        Objects.requireNonNull(requestedAt, "requestedAt");
        env = Map.copyOf(env == null ? Map.of() : env);
        if (index < 1) {
            throw new IllegalArgumentException("a one-off's number is positive, not " + index);
        }
        if (timeToLiveSeconds < 0) {
            throw new IllegalArgumentException("a time to live is not negative: " + timeToLiveSeconds);
        }
    }

    /** {@code run.N}. */
    public String name() {
        return TYPE + "." + index;
    }

    /** When it is stopped, null when it may run for ever. */
    public Instant deadline() {
        return timeToLiveSeconds == 0 ? null : requestedAt.plusSeconds(timeToLiveSeconds);
    }

    /** The environment over the config: the names only, for logs. */
    @Override
    public String toString() {
        return "OneOff[" + app + " " + name() + " v" + release + ", env " + new TreeMap<>(env).keySet() + "]";
    }

    /** Whether {@code instance} is a one-off dyno. */
    public static boolean is(Instance instance) {
        return TYPE.equals(instance.process());
    }

    /**
     * The exit code of an ended one-off, read from the executor's terminal message ({@code exited
     * with code 3}, {@code killed by signal 15}: 143, as a shell says); null while it runs or when
     * its end says none (lost, say).
     */
    public static Integer exitCode(Instance instance) {
        if (!instance.state().terminal()) {
            return null;
        }
        Matcher exited = EXITED.matcher(instance.message());
        if (exited.find()) {
            return Integer.parseInt(exited.group(1));
        }
        Matcher signalled = SIGNALLED.matcher(instance.message());
        if (signalled.find()) {
            return 128 + Integer.parseInt(signalled.group(1));
        }
        return null;
    }
}
