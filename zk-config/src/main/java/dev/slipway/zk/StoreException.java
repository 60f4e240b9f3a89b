package dev.slipway.zk;

/** Base of the store errors; each maps to one HTTP status at the API edge. */
public abstract class StoreException extends RuntimeException {
    protected StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
