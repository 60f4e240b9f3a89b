package dev.slipway.zk;

import java.time.Instant;
import java.util.Objects;

/**
 * The crash backoff of one slot of an app ({@code web.1}), kept under the app so that a restarted
 * framework still waits: {@code crashes} in a row of release {@code release}'s instances, the time
 * before which the slot is not launched again, when the instance after the last crash became ready
 * (null while it has not) and why the last one ended.
 */
public record CrashBackoff(String process, int index, int release, int crashes, Instant notBefore,
                           Instant readySince, String lastExit) {
    /** A longer exit reason is cut, to keep the record small. */
    public static final int MAX_EXIT_LENGTH = 300;

    public CrashBackoff {
        Objects.requireNonNull(process, "process");
        Objects.requireNonNull(notBefore, "notBefore");
        if (index < 1) {
            throw new IllegalArgumentException("slot index must be at least 1, not " + index);
        }
        if (crashes < 1) {
            throw new IllegalArgumentException("a backoff counts at least one crash, not " + crashes);
        }
        lastExit = lastExit == null ? "" : lastExit;
        if (lastExit.length() > MAX_EXIT_LENGTH) {
            lastExit = lastExit.substring(0, MAX_EXIT_LENGTH - 3) + "...";
        }
    }

    /** The slot's name as {@code ps} shows it: {@code web.1}. */
    public String slot() {
        return process + "." + index;
    }
}
