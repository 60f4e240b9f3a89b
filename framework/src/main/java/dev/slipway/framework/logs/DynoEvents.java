package dev.slipway.framework.logs;

import dev.slipway.zk.Instance;
import java.util.Optional;

/** What an instance's life says in its app's log, in Heroku's words: {@code State changed from starting to up}. */
public final class DynoEvents {
    private DynoEvents() {
    }

    /**
     * Heroku's dyno state of an instance, as {@code slipway ps} shows it: {@code starting}, {@code up},
     * {@code stopping}, {@code down} or {@code crashed}. A web instance is up once it is healthy.
     */
    public static String state(Instance instance) {
        return switch (instance.state()) {
            case RUNNING -> instance.healthy() || !"web".equals(instance.process()) ? "up" : "starting";
            case LAUNCHING, STAGING, STARTING -> "starting";
            case KILLING -> "stopping";
            case FINISHED, KILLED -> "down";
            default -> "crashed";
        };
    }

    /**
     * The log line for an instance going from {@code before} to {@code after}; empty when its dyno
     * state stays the same. A crash says why: {@code State changed from up to crashed: exited with code 1}.
     */
    public static Optional<String> change(Instance before, Instance after) {
        String from = state(before);
        String to = state(after);
        if (from.equals(to)) {
            return Optional.empty();
        }
        String why = "crashed".equals(to) && !after.message().isBlank() ? ": " + after.message() : "";
        return Optional.of("State changed from " + from + " to " + to + why);
    }

    /** Tells {@code sink} of the change from {@code before} to {@code after}, if users would see one. */
    public static void tell(LogSink sink, Instance before, Instance after) {
        change(before, after).ifPresent(message -> sink.event(after.app(), after.name(), message));
    }
}
