package dev.slipway.router.proxy;

import io.netty.channel.Channel;

/**
 * Sees each client connection the router accepts, once it is guarded, and each that failed before
 * (a TLS handshake, say): the metrics add their byte and request counters to the channel here.
 * Called on the connection's event loop: an implementation never blocks.
 */
public interface ConnectionTap {
    /** Sees nothing. */
    ConnectionTap NONE = new ConnectionTap() {
        @Override
        public void accepted(Channel channel, boolean tls, int requestsUnderWay) {
        }

        @Override
        public void failed(Throwable failure) {
        }
    };

    /**
     * A connection was accepted ({@code tls}: on the HTTPS listener, its handshake done);
     * {@code requestsUnderWay} of its requests were already read (Vert.x may make the connection only
     * once its first request is decoded).
     */
    void accepted(Channel channel, boolean tls, int requestsUnderWay);

    /** A connection failed before it became an HTTP connection. */
    void failed(Throwable failure);
}
