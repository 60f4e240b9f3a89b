package dev.slipway.executor.config;

/** A missing or malformed setting in the executor's environment; the message names it. */
public final class InvalidConfigException extends RuntimeException {
    public InvalidConfigException(String message) {
        super(message);
    }

    public InvalidConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
