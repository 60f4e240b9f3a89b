package dev.slipway.zk;

/** Nothing is stored at the path asked for. */
public final class NotFound extends StoreException {
    public NotFound(String message) {
        super(message, null);
    }

    public NotFound(String message, Throwable cause) {
        super(message, cause);
    }
}
