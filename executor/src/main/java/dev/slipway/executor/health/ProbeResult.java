package dev.slipway.executor.health;

import java.time.Duration;
import java.util.Objects;

/**
 * What one probe found.
 *
 * @param outcome     whether it passed, and if not whether anything listened on the port at all
 * @param description what was checked and how it went, for status messages and logs:
 *                    {@code GET /health answered 500}, {@code command exited 1}
 */
public record ProbeResult(Outcome outcome, String description) {
    public enum Outcome {
        PASSED,
        FAILED,
        /** Nothing accepted a connection on the instance's port: it has not bound it (yet). */
        NOT_LISTENING
    }

    public ProbeResult {
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(description, "description");
    }

    public static ProbeResult passed(String description) {
        return new ProbeResult(Outcome.PASSED, description);
    }

    public static ProbeResult failed(String description) {
        return new ProbeResult(Outcome.FAILED, description);
    }

    public static ProbeResult notListening(String description) {
        return new ProbeResult(Outcome.NOT_LISTENING, description);
    }

    /** {@code <what> timed out after 5 s}. */
    public static ProbeResult timedOut(String what, Duration timeout) {
        return failed(what + " timed out after " + format(timeout));
    }

    public boolean passed() {
        return outcome == Outcome.PASSED;
    }

    /** {@code 5 s}, or {@code 250 ms} for what is not whole seconds. */
    static String format(Duration duration) {
        return duration.toMillis() % 1000 == 0 ? duration.toSeconds() + " s" : duration.toMillis() + " ms";
    }
}
