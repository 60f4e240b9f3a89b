package dev.slipway.zk;

/** The node exists already, or was changed since it was read (stale version). */
public final class Conflict extends StoreException {
    public Conflict(String message) {
        super(message, null);
    }

    public Conflict(String message, Throwable cause) {
        super(message, cause);
    }
}
