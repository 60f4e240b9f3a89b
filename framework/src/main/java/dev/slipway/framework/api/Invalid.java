package dev.slipway.framework.api;

/** A request the API refuses as it stands (HTTP 400 or 422), with a message for people. */
public final class Invalid extends RuntimeException {
    private final int status;

    public Invalid(int status, String message) {
        super(message);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
