package dev.slipway.framework.logs;

/**
 * Where the framework writes its own events into an app's log, Heroku-style:
 * {@code slipway[api]: Release v3 created}, {@code slipway[web.1]: State changed from starting to up}.
 * Implementations never block on I/O and never throw, so that the scheduler and the builds can call
 * them from their own threads.
 */
@FunctionalInterface
public interface LogSink {
    /** Writes nowhere. */
    LogSink NONE = (app, dyno, message) -> { };

    /**
     * Appends {@code <now> slipway[<dyno>]: <message>} to the log of {@code app}.
     *
     * @param dyno the instance the event is about ({@code web.1}), or the part of Slipway that
     *             speaks ({@code api} for builds and releases)
     */
    void event(String app, String dyno, String message);
}
