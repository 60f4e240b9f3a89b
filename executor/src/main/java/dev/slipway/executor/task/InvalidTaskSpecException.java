package dev.slipway.executor.task;

/** {@code TaskInfo.data} is not a valid TaskSpec; the message says why (never an env value). */
public final class InvalidTaskSpecException extends Exception {
    public InvalidTaskSpecException(String message) {
        super(message);
    }

    public InvalidTaskSpecException(String message, Throwable cause) {
        super(message, cause);
    }
}
