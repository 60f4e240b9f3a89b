package dev.slipway.router.proxy;

import java.util.UUID;
import java.util.regex.Pattern;

/** Heroku's X-Request-Id rule: keep a sane incoming id, otherwise make one. */
final class RequestId {
    static final String HEADER = "X-Request-Id";
    private static final Pattern SANE = Pattern.compile("[A-Za-z0-9+=/_-]{1,200}");

    private RequestId() {
    }

    /** {@code incoming} when it is 1-200 characters of {@code [A-Za-z0-9+=/_-]}, else a new random UUID. */
    static String keepOrCreate(String incoming) {
        if (incoming != null && SANE.matcher(incoming).matches()) {
            return incoming;
        }
        return UUID.randomUUID().toString();
    }
}
