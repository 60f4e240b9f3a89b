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
import io.netty.handler.codec.http2.Http2ConnectionHandler;
import io.netty.handler.ssl.SslHandler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.impl.ConnectionBase;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the router lets clients do before a request is routed: every HTTP/1 connection gets a
 * {@link FramingGuard} in front of Netty's HTTP decoder (strict framing, client timeouts), every
 * HTTP/2 one an {@link Http2Watch} (its timeouts), and one
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
     * An HTTP server with {@code options} whose connections are guarded, and which answers the
     * requests the guard refuses. An HTTP/1 connection gets the guard in front of Netty's HTTP/1
     * decoder from its first byte; on a plain listener that takes h2c the guard first looks for the
     * HTTP/2 preface and steps aside for it. An HTTP/2 connection (h2c, or h2 chosen by ALPN) gets
     * {@link Http2Watch} instead: Netty's HTTP/2 codec frames it, and validates what the framing guard
     * would.
     */
    public HttpServer install(Vertx vertx, HttpServerOptions options) {
        boolean h2c = !options.isSsl() && options.isHttp2ClearTextEnabled();
        long maxStreams = options.getInitialSettings().getMaxConcurrentStreams();
        return AcceptHook.server(vertx, options, channel -> connected(channel, h2c))
                .connectionHandler(connection -> accepted(connection, maxStreams))
                .invalidRequestHandler(ClientConnections::refused)
                .exceptionHandler(failure -> {
                    LOG.debug("client connection failed: {}", failure.toString());
                    tap.failed(failure);
                });
    }

    /** A connection just accepted (after its TLS handshake), before Vert.x read any of it. */
    private void connected(Channel channel, boolean h2c) {
        ChannelPipeline pipeline = channel.pipeline();
        pipeline.addFirst(LingeringClose.NAME, new LingeringClose());
        SslHandler tls = pipeline.get(SslHandler.class);
        FramingGuard guard = null;
        if (tls == null || !"h2".equals(tls.applicationProtocol())) {
            guard = new FramingGuard(limits, h2c);
            // Vert.x puts its decoders (or its h2c detector) right before this handler: after the guard.
            String last = pipeline.get("chunkedWriter") != null ? "chunkedWriter" : pipeline.get("idle") != null ? "idle" : "handler";
            pipeline.addBefore(last, FramingGuard.NAME, guard);
        }
        limit(channel, guard);
    }

    /**
     * The Netty data path's guard for a connection whose pipeline it builds itself: the lingering close
     * goes first (if not there yet), the framing guard right after the handler named {@code after}
     * (the TLS handler, say: the guard reads what the client sent, not its encryption); {@code h2c}:
     * it steps aside for the HTTP/2 preface. Call {@link #guarded} once the HTTP/1.1 codec is in.
     */
    FramingGuard guard(Channel channel, String after, boolean h2c) {
        ChannelPipeline pipeline = channel.pipeline();
        if (pipeline.get(LingeringClose.NAME) == null) {
            pipeline.addFirst(LingeringClose.NAME, new LingeringClose());
        }
        FramingGuard guard = new FramingGuard(limits, h2c);
        pipeline.addAfter(after, FramingGuard.NAME, guard);
        return guard;
    }

    /**
     * An HTTP/2 connection, on either data path, whose codec is {@code http2}: the stream limit holds
     * from the first frame, and {@link Http2Watch} keeps its timeouts. Netty applies the stream limit
     * the router announced only once the client acknowledges its SETTINGS (RFC 9113 §6.5.3): a client
     * that never does would open streams without bound. As nginx, the limit holds from the first frame
     * (a stream over it is refused, which a client may retry).
     */
    void http2(Channel channel, Http2ConnectionHandler http2, long maxStreams) {
        http2.connection().remote().maxActiveStreams((int) Math.min(Integer.MAX_VALUE, maxStreams));
        channel.pipeline().addLast(Http2Watch.NAME, new Http2Watch(limits, http2));
    }

    /** The Netty data path's HTTP/2 connection (h2 by ALPN): refused when its address holds too many already. */
    void limited(Channel channel) {
        limit(channel, null);
    }

    /**
     * The Netty data path's connection is built: the guard watches the responses written past
     * {@code encoder} (the codec's name), the drain notice sees it, and an address
     * holding too many connections already is refused.
     */
    void guarded(Channel channel, FramingGuard guard, String encoder) {
        ChannelPipeline pipeline = channel.pipeline();
        pipeline.addAfter(encoder, FramingGuard.WATCH_NAME, guard.responseWatch());
        pipeline.addAfter(encoder, DrainNotice.NAME, drainNotice);
        limit(channel, guard);
    }

    /** The Netty data path's connection is ready to serve ({@code tls}: its handshake done): the metrics see it. */
    void serving(Channel channel, boolean tls) {
        tap.accepted(channel, tls, 0);
    }

    /** A Netty data path's connection failed before it could serve (its TLS handshake). */
    void failed(Throwable failure) {
        LOG.debug("client connection failed: {}", failure.toString());
        tap.failed(failure);
    }

    /** Counts the connection against its client address; refuses it when the address holds too many. */
    private void limit(Channel channel, FramingGuard guard) {
        SocketAddress remote = channel.remoteAddress();
        String address = remote instanceof InetSocketAddress inet && inet.getAddress() != null
                ? inet.getAddress().getHostAddress() : "unknown";
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
            if (guard != null) {
                guard.refuseConnection();
            } else {
                channel.close();
            }
        }
    }

    /** Vert.x made a connection of it: HTTP/1 (the guard now watches its responses too) or HTTP/2. */
    private void accepted(HttpConnection connection, long maxStreams) {
        // Vert.x 5 has no public way to the pipeline; its connections are ConnectionBases.
        Channel channel = ((ConnectionBase) connection).channel();
        ChannelPipeline pipeline = channel.pipeline();
        Http2ConnectionHandler http2 = pipeline.get(Http2ConnectionHandler.class);
        if (http2 != null) {
            http2(channel, http2, maxStreams);
            tap.accepted(channel, connection.isSsl(), 0);
            return;
        }
        FramingGuard guard = (FramingGuard) pipeline.get(FramingGuard.NAME);
        if (guard == null || pipeline.get("httpDecoder") == null || pipeline.get("httpEncoder") == null) {
            LOG.warn("client connection without the framing guard in front of an HTTP/1 decoder; closing it");
            channel.close();
            return;
        }
        pipeline.addAfter("httpEncoder", FramingGuard.WATCH_NAME, guard.responseWatch());
        pipeline.addAfter("httpEncoder", DrainNotice.NAME, drainNotice);
        tap.accepted(channel, connection.isSsl(), guard.requestsInFlight());
    }

    /**
     * The router stops: from now on every HTTP/1 answer says {@code Connection: close}, so that clients
     * with a keep-alive connection go elsewhere for their next request while the listeners drain
     * (HTTP/2 clients get a GOAWAY from the listener's drain instead).
     */
    public void drain() {
        drainNotice.draining = true;
    }

    /** Adds {@code Connection: close} to every HTTP/1 answer once the router drains; one for all connections. */
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
