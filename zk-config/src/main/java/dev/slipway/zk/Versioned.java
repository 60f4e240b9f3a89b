package dev.slipway.zk;

import java.util.Objects;

/** A stored value with the ZooKeeper version it was read at, for optimistic updates. */
public record Versioned<T>(T value, int version) {
    public Versioned {
        Objects.requireNonNull(value, "value");
    }
}
