package dev.slipway.router.proxy;

/**
 * Why the router refuses a request before it reaches an app: the status to answer with and a short
 * reason for the client. The connection is always closed after the answer. Carries no stack trace:
 * it is a verdict on the client's bytes, not a failure of the router.
 */
final class Refusal extends RuntimeException {
    private final int status;

    Refusal(int status, String reason) {
        super(reason, null, false, false);
        this.status = status;
    }

    int status() {
        return status;
    }
}
