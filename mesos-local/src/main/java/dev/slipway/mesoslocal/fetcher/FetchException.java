package dev.slipway.mesoslocal.fetcher;

/** A URI that could not be brought into a sandbox; the message names the URI (credentials removed). */
public final class FetchException extends Exception {
    public FetchException(String message) {
        super(message);
    }

    public FetchException(String message, Throwable cause) {
        super(message, cause);
    }
}
