package dev.slipway.framework.api;

/**
 * A call refused for who made it: 401 (no credential, or one that is malformed, unknown or
 * revoked) or 403 (a known caller, but not its app, or not an admin). The message never quotes
 * the credential.
 */
public final class Denied extends RuntimeException {
    private final int status;

    private Denied(int status, String message) {
        super(message);
        this.status = status;
    }

    /** 401: who called is not known. */
    public static Denied unauthenticated(String message) {
        return new Denied(401, message);
    }

    /** 403: the caller is known, and may not do this. */
    public static Denied forbidden(String message) {
        return new Denied(403, message);
    }

    public int status() {
        return status;
    }
}
