package dev.slipway.framework.schedule;

import dev.slipway.framework.deploy.OneOff;
import dev.slipway.zk.Size;
import dev.slipway.zk.Unavailable;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Where the API asks for one-off dynos ({@code slipway run}) and stops them: the leading scheduler.
 * The futures complete off the API's event loop once the scheduler has taken the request.
 */
public interface OneOffDesk {
    /**
     * Asks for a one-off dyno of {@code app} running {@code command} with its running release;
     * completes with it, named, or fails with {@code NotFound} (no such app), {@code Conflict} (no
     * release yet) or {@code Unavailable} (no scheduler here).
     *
     * @param size null for the size of the app's {@code web}
     * @param timeToLiveSeconds 0 for no limit
     */
    CompletableFuture<OneOff> run(String app, String command, Map<String, String> env, Size size,
                                  long timeToLiveSeconds);

    /** Stops the one-off {@code name} of {@code app}; completes with false when none such runs or waits. */
    CompletableFuture<Boolean> stop(String app, String name);

    /** Whether {@code name} of {@code app} waits for an offer (asked for, not launched yet). */
    boolean pending(String app, String name);

    /** No scheduler: every request is refused as unavailable. */
    OneOffDesk NONE = new OneOffDesk() {
        @Override
        public CompletableFuture<OneOff> run(String app, String command, Map<String, String> env, Size size,
                                             long timeToLiveSeconds) {
            return CompletableFuture.failedFuture(new Unavailable("no scheduler runs here to start a one-off dyno"));
        }

        @Override
        public CompletableFuture<Boolean> stop(String app, String name) {
            return CompletableFuture.failedFuture(new Unavailable("no scheduler runs here to stop a one-off dyno"));
        }

        @Override
        public boolean pending(String app, String name) {
            return false;
        }
    };
}
