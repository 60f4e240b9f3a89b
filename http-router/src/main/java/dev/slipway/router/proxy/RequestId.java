package dev.slipway.router.proxy;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
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
        // A version-4 UUID from a per-thread generator: an id needs to be unique, not unguessable,
        // and UUID.randomUUID() takes a lock on the JVM's SecureRandom for every request.
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long most = (random.nextLong() & ~0xF000L) | 0x4000L;
        long least = (random.nextLong() & ~(0xC000L << 48)) | (0x8000L << 48);
        return new UUID(most, least).toString();
    }
}
