package dev.slipway.router.proxy;

import io.netty.channel.Channel;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.impl.HttpServerImpl;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.internal.VertxWrapper;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.impl.ConnectionBase;
import io.vertx.core.net.impl.NetServerImpl;
import io.vertx.core.net.impl.NetServerInternal;
import java.util.function.Consumer;

/**
 * An HTTP server that shows the router each connection as it is accepted (after the TLS handshake),
 * before Vert.x reads a byte of it. Vert.x only hands an HTTP/1 connection to
 * {@link HttpServer#connectionHandler} once it has decided the protocol, and on a listener that also
 * takes h2c it decides on the first bytes (the HTTP/2 preface or not), then decodes the first request
 * at once: too late for the framing guard, which must see every byte of an HTTP/1 connection. Vert.x 5
 * has no public hook at accept time, so the server is made over a {@link VertxWrapper} whose TCP
 * server runs {@code accepted} first. Internal API: check it when Vert.x is upgraded
 * ({@code RouterHttp2Test} and {@code RouterFramingTest} fail if the hook stops running).
 */
final class AcceptHook extends VertxWrapper {
    private final Consumer<Channel> accepted;

    private AcceptHook(VertxInternal delegate, Consumer<Channel> accepted) {
        super(delegate);
        this.accepted = accepted;
    }

    /** An HTTP server on {@code vertx} with {@code options} that gives each accepted channel to {@code accepted} first. */
    static HttpServer server(Vertx vertx, HttpServerOptions options, Consumer<Channel> accepted) {
        return new HttpServerImpl(new AcceptHook((VertxInternal) vertx, accepted), options);
    }

    @Override
    public NetServerInternal createNetServer(NetServerOptions options) {
        return new NetServerImpl(delegate, options.copy()) {
            @Override
            public synchronized NetServerInternal connectHandler(Handler<NetSocket> handler) {
                return super.connectHandler(handler == null ? null : socket -> {
                    accepted.accept(((ConnectionBase) socket).channel());
                    handler.handle(socket);
                });
            }
        };
    }
}
