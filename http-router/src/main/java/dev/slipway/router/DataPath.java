package dev.slipway.router;

import java.util.Locale;

/**
 * How the router moves bytes between clients and apps (issue 16). {@link #VERTX}, the default, is
 * Vert.x's HTTP server and client; {@link #NETTY} is a path written directly on Netty's HTTP/1.1 and
 * HTTP/2 codecs (h2 by ALPN, h2c with prior knowledge, each stream proxied to the app as HTTP/1.1, as
 * on the Vert.x path), kept beside it until it is measured faster and passes every security test.
 */
public enum DataPath {
    VERTX, NETTY;

    /** The system property that picks the data path when the configuration does not ({@code vertx} or {@code netty}). */
    public static final String PROPERTY = "slipway.router.dataPath";

    /** {@code vertx} or {@code netty} (any case); anything else is refused with a message naming the setting. */
    public static DataPath of(String name) {
        String trimmed = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
        return switch (trimmed) {
            case "vertx" -> VERTX;
            case "netty" -> NETTY;
            default -> throw new IllegalArgumentException("router data path must be vertx or netty, not '" + name + "'");
        };
    }

    /**
     * The data path {@link #PROPERTY} names, {@link #VERTX} without it: the whole test suite can run on
     * either path ({@code mvn test -Dslipway.router.dataPath=netty}).
     */
    public static DataPath fromSystemProperty() {
        String value = System.getProperty(PROPERTY);
        return value == null || value.isBlank() ? VERTX : of(value);
    }
}
