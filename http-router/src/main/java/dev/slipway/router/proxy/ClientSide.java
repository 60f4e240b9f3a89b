package dev.slipway.router.proxy;

import dev.slipway.router.balance.Backend;
import dev.slipway.router.route.HostName;
import dev.slipway.router.trace.RequestPhases;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.vertx.core.net.HostAndPort;
import java.util.ArrayDeque;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A client's connection on the Netty data path, after the framing guard and Netty's HTTP/1.1
 * codec, or one HTTP/2 stream after {@link NettyHttp2Stream} (one request, as HTTP/1.1 messages):
 * routes each request by its Host as {@link ProxyHandler} does (404, H14, {@code OPTIONS *},
 * absolute form) and hands it to a {@link NettyForward}. One request at a time: a pipelined request
 * waits, unread, until the one before it was read and answered. Keeps the connection alive between
 * requests unless the client, or a draining router, says otherwise. Reading stops while a request
 * waits for its connection to the app or the app takes its body slowly, so that no more than a
 * read's worth of a body is ever held.
 */
final class ClientSide extends ChannelInboundHandlerAdapter {
    static final String NAME = "slipway-proxy";
    /** Why reading is paused: a bit each. */
    static final int WAITING_FOR_APP = 1;
    static final int APP_BUSY = 2;
    static final int PIPELINED = 4;
    private static final Logger LOG = LoggerFactory.getLogger(ClientSide.class);

    private final NettyLoop loop;
    /** On the HTTPS listener. */
    private final boolean secure;
    private ChannelHandlerContext ctx;
    private final ArrayDeque<Object> pipelined = new ArrayDeque<>();
    private int paused;
    /** Between a request's head and both its body and its answer ended. */
    private boolean busy;
    private boolean requestEnded;
    private boolean responseEnded;
    private boolean keepAlive;
    private boolean closing;
    /** The request being forwarded, or null (answered by the router, or between requests). */
    private NettyForward forward;

    ClientSide(NettyLoop loop, boolean secure) {
        this.loop = loop;
        this.secure = secure;
    }

    boolean secure() {
        return secure;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext context) {
        ctx = context;
    }

    @Override
    public void channelRead(ChannelHandlerContext context, Object msg) {
        if (closing) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (msg instanceof ByteBuf bytes) {
            // Only after a switch of protocols do raw bytes come past the codec.
            if (forward != null) {
                forward.fromClient(bytes);
            } else {
                bytes.release();
            }
            return;
        }
        if (!pipelined.isEmpty() || (busy && msg instanceof HttpRequest)) {
            pipelined.add(msg);
            pause(PIPELINED);
            return;
        }
        read(msg);
    }

    private void read(Object msg) {
        if (msg instanceof HttpRequest request) {
            if (request.decoderResult().isFailure()) {
                refuse(request);
                return;
            }
            requested(request);
        }
        if (msg instanceof HttpContent content) {
            boolean last = content instanceof LastHttpContent;
            if (forward != null) {
                forward.body(content);
            } else {
                content.release();
            }
            if (last) {
                requestEnded = true;
                nextIfDone();
            }
        } else if (!(msg instanceof HttpRequest)) {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext context) {
        if (forward != null) {
            forward.clientReadComplete();
        }
        context.fireChannelReadComplete();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext context) {
        if (forward != null) {
            forward.clientWritabilityChanged(context.channel().isWritable());
        }
        context.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext context) {
        closing = true;
        for (Object msg : pipelined) {
            ReferenceCountUtil.release(msg);
        }
        pipelined.clear();
        NettyForward gone = forward;
        forward = null;
        if (gone != null) {
            gone.clientGone();
        }
        context.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext context, Throwable cause) {
        LOG.debug("client connection failed: {}", cause.toString());
        context.close();
    }

    /** Whether no request is under way (a draining router closes such a connection at once). */
    boolean idle() {
        return !busy && pipelined.isEmpty();
    }

    void pause(int reason) {
        paused |= reason;
        ctx.channel().config().setAutoRead(false);
    }

    void resume(int reason) {
        paused &= ~reason;
        if (paused == 0 && !closing) {
            ctx.channel().config().setAutoRead(true);
        }
    }

    private void requested(HttpRequest request) {
        RequestPhases phases = RequestPhases.start("netty");
        busy = true;
        requestEnded = false;
        responseEnded = false;
        keepAlive = HttpUtil.isKeepAlive(request);
        HttpVersion version = request.protocolVersion();
        Exchange exchange = new Exchange(RequestId.keepOrCreate(request.headers().get(RequestId.HEADER)), loop.clock.millis(), phases);
        String uri = request.uri();
        if (uri.equals("*")) {
            answer(NettyReplies.options(ctx, version, exchange));
            return;
        }
        String hostHeader = request.headers().get(HttpHeaderNames.HOST);
        HostAndPort authority = hostHeader == null ? null : HostAndPort.parseAuthority(hostHeader, -1);
        String target = uri;
        if (!uri.startsWith("/")) {
            AbsoluteTarget absolute = AbsoluteTarget.parse(uri);
            if (absolute == null) {
                keepAlive = false;
                answer(NettyReplies.refusal(ctx, version, 400, exchange.requestId(), "Invalid request target"));
                return;
            }
            authority = absolute.authority();
            target = absolute.originForm();
            request.setUri(target);
            request.headers().set(HttpHeaderNames.HOST, authority.toString());
        }
        String host = HostName.of(authority);
        Optional<Backend> found = loop.routes.get().lookup(host);
        String accept = request.headers().get(HttpHeaderNames.ACCEPT);
        if (found.isEmpty()) {
            LOG.debug("request {}: no app at '{}'", exchange.requestId(), host);
            answer(NettyReplies.error(ctx, version, RouterError.NO_SUCH_APP, exchange, accept));
            return;
        }
        Backend backend = found.get();
        phases.routed(backend.app(), exchange.requestId());
        NettyForward next = new NettyForward(this, ctx, loop, request, backend, exchange, host, target);
        if (!secure && loop.httpsRedirect != null && backend.route().httpsOnly()) {
            FullHttpResponse redirect = redirect(request, host, target, exchange);
            next.answeredByRouter(null, redirect.status().code(), redirect.content().readableBytes());
            answer(redirect);
            return;
        }
        if (!backend.hasEndpoints()) {
            LOG.debug("request {}: {} has no endpoints", exchange.requestId(), backend.app());
            FullHttpResponse page = NettyReplies.error(ctx, version, RouterError.H14, exchange, accept);
            next.answeredByRouter(RouterError.H14, page.status().code(), page.content().readableBytes());
            answer(page);
            return;
        }
        forward = next;
        next.start();
    }

    /**
     * The answer to an HTTPS-only app's plain request: a redirect to HTTPS, never the app
     * ({@link HttpsRedirect}). Its body, if any, is read and dropped.
     */
    private FullHttpResponse redirect(HttpRequest request, String host, String target, Exchange exchange) {
        String location = loop.httpsRedirect.location(host, target);
        if (location == null) {
            // Only a wildcard match lets a client choose labels: one that is not a DNS name gets no Location.
            return NettyReplies.refusal(ctx, request.protocolVersion(), 400, exchange.requestId(), "Invalid host");
        }
        return NettyReplies.redirect(ctx, request.protocolVersion(), HttpsRedirect.status(request.method().name()),
                location, exchange);
    }

    /** The router's own answer to the request under way (its router line written already). */
    void answer(FullHttpResponse response) {
        if (!keepAlive || loop.listener.draining()) {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        } else if (response.protocolVersion() == HttpVersion.HTTP_1_0) {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
        }
        responseEnded(ctx.write(response), false);
    }

    /** Whether the answer to the request under way must end with {@code Connection: close}. */
    boolean closesAfterAnswer() {
        return !keepAlive || loop.listener.draining();
    }

    /**
     * The answer to the request under way was written ({@code written}: its last write); {@code close}: it could only end with the
     * connection (or broke off). The rest of the request's body, if any, is read and dropped.
     */
    void responseEnded(ChannelFuture written, boolean close) {
        forward = null;
        responseEnded = true;
        if (close || closesAfterAnswer()) {
            closing = true;
            ctx.flush();
            written.addListener(ChannelFutureListener.CLOSE);
            return;
        }
        ctx.flush();
        resume(WAITING_FOR_APP | APP_BUSY);
        nextIfDone();
    }

    /** Once a request was read and answered, the next one (pipelined, or the next to come). */
    private void nextIfDone() {
        if (!busy || !requestEnded || !responseEnded) {
            return;
        }
        busy = false;
        Object msg;
        // The next request's head and as much of its body as came; a head after it waits again.
        while (!closing && (msg = pipelined.peek()) != null && !(busy && msg instanceof HttpRequest)) {
            pipelined.poll();
            read(msg);
        }
        if (forward != null) {
            // What was replayed is written, not flushed: no read of the client's will complete it.
            forward.clientReadComplete();
        }
        if (pipelined.isEmpty()) {
            resume(PIPELINED);
        }
    }

    /** A request the guard refused or the decoder could not read: answered, and the connection closes. */
    private void refuse(HttpRequest request) {
        LOG.debug("refused a request from {}: {}", ctx.channel().remoteAddress(), request.decoderResult().cause().toString());
        ReferenceCountUtil.release(request);
        closing = true;
        ctx.writeAndFlush(NettyReplies.refusal(ctx, request.decoderResult().cause())).addListener(ChannelFutureListener.CLOSE);
    }

    /** Cuts the connection (an answer that broke off, the idle window passed). */
    void cut() {
        forward = null;
        closing = true;
        ctx.close();
    }
}
