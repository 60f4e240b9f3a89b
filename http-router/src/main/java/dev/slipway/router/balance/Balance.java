package dev.slipway.router.balance;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** How the router picks an app's endpoint for a request (docs/routing.md, "Load balancing"). */
public enum Balance {
    /**
     * Two endpoints drawn at random, the one with fewer requests in flight wins (ties: the one that
     * was given fewer requests so far). The default: a slow or stalled instance gets fewer requests.
     */
    LEAST_OUTSTANDING,
    /** Each endpoint in turn, however busy it is. */
    ROUND_ROBIN;

    /** The name on the command line: {@code least-outstanding}, {@code round-robin}. */
    public String flag() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The balance named {@code flag} ({@code least-outstanding} or {@code round-robin}). */
    public static Balance ofFlag(String flag) {
        for (Balance balance : values()) {
            if (balance.flag().equals(flag)) {
                return balance;
            }
        }
        throw new IllegalArgumentException("router balance must be one of "
                + Arrays.stream(values()).map(Balance::flag).collect(Collectors.joining(", ")) + ", not '" + flag + "'");
    }
}
