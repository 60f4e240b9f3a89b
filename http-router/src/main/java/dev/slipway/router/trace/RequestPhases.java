package dev.slipway.router.trace;

/**
 * When a request reached each phase on its way to an app, for a JFR recording: a
 * {@link RouterRequestEvent} while a recording wants one, else {@link #NONE}, which keeps nothing. Both
 * data paths tell every request's phases to one of these, unconditionally. One per request, on its
 * event loop.
 */
public interface RequestPhases {
    /** Keeps nothing: what a request tells while no recording wants its phases. */
    RequestPhases NONE = new RequestPhases() {
    };

    /**
     * The phases of a request whose head was read just now on {@code dataPath}: a started event while
     * a recording wants it, else {@link #NONE} (and then this cost one check).
     */
    static RequestPhases start(String dataPath) {
        RouterRequestEvent event = RouterRequestEvent.startIfRecording(dataPath);
        return event != null ? event : NONE;
    }

    /** Whether these phases are kept (to compute what only they need). */
    default boolean recording() {
        return false;
    }

    /** Its app was found. */
    default void routed(String app, String requestId) {
    }

    /** An attempt at {@code instance} begins. */
    default void attempting(String instance) {
    }

    /** The attempt asked its pool for a connection: {@code open} were open, {@code waiting} waited already. */
    default void pool(boolean fresh, int open, int waiting) {
    }

    /** The attempt waited {@code nanos} for a connection; {@code fresh}: it makes a new one as one closed. */
    default void queued(long nanos, boolean fresh) {
    }

    /** The attempt's connection is there. */
    default void connected() {
    }

    /** The request's head was written to the app's connection. */
    default void headSent() {
    }

    /** The head of the app's answer came. */
    default void firstByte() {
    }

    /** The request is over, answered with {@code status}, by the router with {@code routerError} (or null). */
    default void ended(int status, String routerError) {
    }
}
