package dev.slipway.router.proxy;

/** What both data paths ask of a failed attempt at an app, and of a request, to decide on a retry. */
final class Failures {
    private Failures() {
    }

    /** Whether {@code failure}, or any of its causes, is one of {@code types}. */
    @SafeVarargs
    static boolean causedBy(Throwable failure, Class<? extends Throwable>... types) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            for (Class<? extends Throwable> type : types) {
                if (type.isInstance(cause)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** RFC 9110 §9.2.2: a request that may be sent again without changing what it does. */
    static boolean isIdempotent(String method) {
        return switch (method) {
            case "GET", "HEAD", "OPTIONS", "TRACE", "PUT", "DELETE" -> true;
            default -> false;
        };
    }
}
