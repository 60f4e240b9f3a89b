package dev.slipway.router.proxy;

import dev.slipway.router.RouterConfig.ClientLimits;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.impl.ConnectionBase;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the router lets clients do before a request is routed: every connection gets a
 * {@link FramingGuard} in front of Netty's HTTP decoder (strict framing, client timeouts), and one
 * client address may hold at most {@link ClientLimits#connectionsPerAddress()} connections (more are
 * answered 503 and closed). One instance per router, shared by its event loops.
 */
public final class ClientConnections {
    private static final Logger LOG = LoggerFactory.getLogger(ClientConnections.class);

    private final ClientLimits limits;
    private final ConnectionTap tap;
    private final ConcurrentHashMap<String, AtomicInteger> perAddress = new ConcurrentHashMap<>();
    private final DrainNotice drainNotice = new DrainNotice();

    public ClientConnections(ClientLimits limits) {
        this(limits, ConnectionTap.NONE);
    }

    /** {@code tap} sees every connection accepted (the metrics). */
    public ClientConnections(ClientLimits limits, ConnectionTap tap) {
        this.limits = limits;
        this.tap = tap;
    }

    /**
     * Guards the connections {@code server} accepts and answers the requests the guard refuses. Only
     * for an HTTP/1.x server without h2c: the guard reads the bytes Netty's HTTP/1 decoder would.
     */
    public HttpServer install(HttpServer server) {
        return server.connectionHandler(this::accepted)
                .invalidRequestHandler(ClientConnections::refused)
                .exceptionHandler(failure -> {
                    LOG.debug("client connection failed: {}", failure.toString());
                    tap.failed(failure);
                });
    }

    private void accepted(HttpConnection connection) {
        // Vert.x 5 has no public way to the pipeline; the HTTP/1 connection is a ConnectionBase.
        Channel channel = ((ConnectionBase) connection).channel();
        ChannelPipeline pipeline = channel.pipeline();
        if (pipeline.get("httpDecoder") == null || pipeline.get("httpEncoder") == null) {
            LOG.warn("client connection without an HTTP/1 decoder; closing it");
            channel.close();
            return;
        }
        FramingGuard guard = new FramingGuard(limits);
        pipeline.addFirst(LingeringClose.NAME, new LingeringClose());
        pipeline.addBefore("httpDecoder", FramingGuard.NAME, guard);
        pipeline.addAfter("httpEncoder", FramingGuard.WATCH_NAME, guard.responseWatch());
        pipeline.addAfter("httpEncoder", DrainNotice.NAME, drainNotice);
        tap.accepted(channel, connection.isSsl());
        String address = connection.remoteAddress() == null ? "unknown" : connection.remoteAddress().hostAddress();
        int[] open = new int[1];
        perAddress.compute(address, (key, count) -> {
            AtomicInteger counted = count == null ? new AtomicInteger() : count;
            open[0] = counted.incrementAndGet();
            return counted;
        });
        channel.closeFuture().addListener(closed ->
                perAddress.computeIfPresent(address, (key, count) -> count.decrementAndGet() == 0 ? null : count));
        if (open[0] > limits.connectionsPerAddress()) {
            LOG.debug("refusing a connection from {}: {} open, at most {}", address, open[0], limits.connectionsPerAddress());
            guard.refuseConnection();
        }
    }

    /**
     * The router stops: from now on every answer says {@code Connection: close}, so that clients with
     * a keep-alive connection go elsewhere for their next request while the listeners drain.
     */
    public void drain() {
        drainNotice.draining = true;
    }

    /** Adds {@code Connection: close} to every answer once the router drains; one for all connections. */
    @ChannelHandler.Sharable
    private static final class DrainNotice extends ChannelOutboundHandlerAdapter {
        static final String NAME = "slipway-drain";
        volatile boolean draining;

        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
            if (draining && msg instanceof HttpResponse response
                    && response.status().codeClass() != HttpStatusClass.INFORMATIONAL) {
                response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            }
            super.write(ctx, msg, promise);
        }
    }

    /** Answers a request the guard refused (or one Netty could not decode) and lets the connection close. */
    private static void refused(HttpServerRequest request) {
        Throwable cause = request.decoderResult().cause();
        Refusal refusal;
        if (cause instanceof Refusal guarded) {
            refusal = guarded;
        } else if (cause instanceof TooLongHttpLineException) {
            refusal = new Refusal(414, "request line too long");
        } else if (cause instanceof TooLongHttpHeaderException) {
            refusal = new Refusal(431, "request head too large");
        } else {
            HttpServerRequest.DEFAULT_INVALID_REQUEST_HANDLER.handle(request);
            return;
        }
        LOG.debug("refused a request from {}: {} {}", request.remoteAddress(), refusal.status(), refusal.getMessage());
        if (refusal.status() == 405) {
            request.response().putHeader(HttpHeaders.ALLOW, ProxyHandler.ALLOWED_METHODS);
        }
        request.response()
                .setStatusCode(refusal.status())
                .putHeader(HttpHeaders.CONTENT_TYPE, "text/plain; charset=utf-8")
                .putHeader("X-Content-Type-Options", "nosniff")
                .putHeader(HttpHeaders.CONNECTION, HttpHeaders.CLOSE)
                .putHeader(RequestId.HEADER, RequestId.keepOrCreate(null))
                .end(refusal.getMessage() + "\n");
    }
}
