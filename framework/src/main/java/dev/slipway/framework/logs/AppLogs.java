package dev.slipway.framework.logs;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The apps' logs, as Heroku's logplex keeps them: per app, the last {@value #MAX_LINES} lines (a
 * ring buffer) and live fan-out to whoever follows. The lines are the apps' own, shipped by the
 * executors, and the framework's events ({@link LogSink}). In memory only: a framework restart
 * starts every log empty. Safe for any thread; nothing here blocks on I/O.
 */
public final class AppLogs implements LogSink {
    /** Lines kept per app (Heroku's limit). */
    public static final int MAX_LINES = 1500;

    /**
     * Told of each new line it follows. Called on the appending thread while the app's log is
     * locked, in order: it must hand the line on and return, never block.
     */
    @FunctionalInterface
    public interface Follower {
        void line(String line);

        /**
         * The log ended ({@code why}: its app was destroyed): no line follows. Called once, after
         * the last line, as {@link #line} is.
         */
        default void ended(String why) {
        }
    }

    /** A follow in progress: the recent lines it started with, and how to stop it. */
    public static final class Following {
        private final List<String> recent;
        private final Runnable stop;

        private Following(List<String> recent, Runnable stop) {
            this.recent = List.copyOf(recent);
            this.stop = stop;
        }

        public List<String> recent() {
            return recent;
        }

        /** Stops the follower being told; idempotent. */
        public void stop() {
            stop.run();
        }
    }

    private final Clock clock;
    private final ConcurrentMap<String, LogBuffer> buffers = new ConcurrentHashMap<>();
    /** Apps destroyed and not created again: lines for them (late ones of the old app) are dropped. */
    private final java.util.Set<String> destroyed = ConcurrentHashMap.newKeySet();

    public AppLogs(Clock clock) {
        this.clock = clock;
    }

    /**
     * Appends lines as an executor ships them ({@code <timestamp> app[<dyno>]: <text>}), each cut to
     * {@link LogLine#MAX_BYTES}: the app's own lines, never Slipway's, whatever their text says (see
     * {@link LogLine#parse}). The caller has checked that the app exists.
     */
    public void append(String app, List<String> shipped) {
        Instant arrived = clock.instant();
        List<LogLine> lines = new ArrayList<>(shipped.size());
        for (String line : shipped) {
            lines.add(LogLine.parse(line, arrived));
        }
        if (!destroyed.contains(app)) {
            buffer(app).append(lines);
        }
    }

    /**
     * Appends a router's lines about requests to {@code app}, as {@link RouterLines#parse} read
     * them ({@code slipway[router]}). The caller has checked that the app exists.
     */
    public void appendRouter(String app, List<LogLine> lines) {
        if (!destroyed.contains(app)) {
            buffer(app).append(lines);
        }
    }

    @Override
    public void event(String app, String dyno, String message) {
        if (!destroyed.contains(app)) {
            buffer(app).append(List.of(LogLine.of(clock.instant(), "slipway", dyno, message)));
        }
    }

    /** The last {@code count} lines of the app's log that {@code filter} lets through, oldest first. */
    public List<String> recent(String app, int count, LogFilter filter) {
        LogBuffer buffer = buffers.get(app);
        return buffer == null ? List.of() : buffer.recent(count, filter);
    }

    /**
     * Starts telling {@code follower} of each new line {@code filter} lets through, and returns the
     * last {@code count} such lines as of then: nothing falls between the two.
     */
    public Following follow(String app, int count, LogFilter filter, Follower follower) {
        if (destroyed.contains(app)) {
            follower.ended(gone(app));
            return new Following(List.of(), () -> { });
        }
        LogBuffer buffer = buffer(app);
        List<String> recent = buffer.follow(count, filter, follower);
        return new Following(recent, () -> buffer.unfollow(follower));
    }

    /**
     * Forgets the app's log (it was destroyed): those who follow it are told it ended, and lines
     * that still come for it are dropped until an app of that name is {@link #created} again, which
     * starts with an empty log.
     */
    public void forget(String app) {
        destroyed.add(app);
        LogBuffer buffer = buffers.remove(app);
        if (buffer != null) {
            buffer.end(gone(app));
        }
    }

    /**
     * An app of this name was created: its log starts empty, whatever an app of that name (one
     * destroyed, or lines that came late for it) left.
     */
    public void created(String app) {
        destroyed.remove(app);
        LogBuffer old = buffers.put(app, new LogBuffer(MAX_LINES));
        if (old != null) {
            old.end(gone(app));
        }
    }

    private static String gone(String app) {
        return "app " + app + " was destroyed: its log ends here";
    }

    /** Whether the app has a log here yet, i.e. it is known to exist. */
    public boolean knows(String app) {
        return buffers.containsKey(app);
    }

    /** How many follow the app's log now. */
    public int followers(String app) {
        LogBuffer buffer = buffers.get(app);
        return buffer == null ? 0 : buffer.followers();
    }

    private LogBuffer buffer(String app) {
        return buffers.computeIfAbsent(app, name -> new LogBuffer(MAX_LINES));
    }
}
