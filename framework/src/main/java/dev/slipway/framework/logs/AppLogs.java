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
        buffer(app).append(lines);
    }

    @Override
    public void event(String app, String dyno, String message) {
        buffer(app).append(List.of(LogLine.of(clock.instant(), "slipway", dyno, message)));
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
        LogBuffer buffer = buffer(app);
        List<String> recent = buffer.follow(count, filter, follower);
        return new Following(recent, () -> buffer.unfollow(follower));
    }

    /** Forgets the app's log (it was destroyed): a new app of the same name starts with an empty one. */
    public void forget(String app) {
        buffers.remove(app);
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
