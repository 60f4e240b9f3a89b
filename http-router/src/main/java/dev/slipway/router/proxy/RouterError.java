package dev.slipway.router.proxy;

/**
 * Why the router answered for an app, or ended a request, with Heroku's error codes (docs/routing.md,
 * "Error codes"): the status, the code and its description for the router's log line, and a
 * sentence for the error page. H15, H27 and H28 are only logged: by then no answer can be given.
 */
enum RouterError {
    NO_SUCH_APP(404, null, "No such app", "There is no app at this address."),
    H12(503, "H12", "Request timeout", "The app did not start to answer in time."),
    H13(502, "H13", "Connection closed without response", "The app closed the connection without answering."),
    H14(503, "H14", "No web dynos running", "The app has no running web instance."),
    H15(503, "H15", "Idle connection", "The app stopped sending its answer."),
    H19(503, "H19", "Backend connection timeout", "The app's instances did not accept a connection in time."),
    H21(503, "H21", "Backend connection refused", "The app's instances refused the connection."),
    H27(499, "H27", "Client Request Interrupted", "The client closed the connection before the answer."),
    H28(499, "H28", "Client Connection Idle", "The client stopped sending its request.");

    private final int status;
    private final String code;
    private final String description;
    private final String sentence;

    RouterError(int status, String code, String description, String sentence) {
        this.status = status;
        this.code = code;
        this.description = description;
        this.sentence = sentence;
    }

    /** The status of the router's answer (499, as Heroku logs H27 and H28, is never sent). */
    int status() {
        return status;
    }

    /** Heroku's code ({@code H12}), or null for an error without one (no such app). */
    String code() {
        return code;
    }

    /** Heroku's description, as in the log line's {@code desc=}. */
    String description() {
        return description;
    }

    /** One sentence for the error page. */
    String sentence() {
        return sentence;
    }
}
