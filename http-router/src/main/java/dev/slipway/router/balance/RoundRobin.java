package dev.slipway.router.balance;

import java.util.concurrent.atomic.AtomicInteger;

/** A lock-free turn counter shared by every event loop sending requests to one app. */
final class RoundRobin {
    private final AtomicInteger turn = new AtomicInteger();

    /** The next index in {@code [0, size)}; wraps around safely when the counter overflows. */
    int next(int size) {
        return Math.floorMod(turn.getAndIncrement(), size);
    }
}
