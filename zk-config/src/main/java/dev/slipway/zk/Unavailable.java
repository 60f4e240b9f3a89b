package dev.slipway.zk;

/** ZooKeeper could not be reached or answered with an error. */
public final class Unavailable extends StoreException {
    public Unavailable(String message) {
        super(message, null);
    }

    public Unavailable(String message, Throwable cause) {
        super(message, cause);
    }
}
