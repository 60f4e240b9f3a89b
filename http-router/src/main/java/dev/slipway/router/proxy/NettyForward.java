package dev.slipway.router.proxy;

import dev.slipway.router.balance.Backend;
import dev.slipway.router.trace.UpstreamPoolWaitEvent;
import dev.slipway.zk.Route.Endpoint;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.ClosedChannelException;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One request on the Netty data path, on its way to an app instance and its answer on the way back:
 * {@link Forward}'s rules on Netty's own messages. The request ({@link NettyRequestOut}: its head
 * rewritten in place, its body as it comes) goes on a kept-alive connection of this event loop's pool
 * for the instance the balancer picked, and the answer goes back as it comes, each side reading only
 * while the other can write. Retries ({@link Retries}), quarantine, outliers, Heroku's timeouts and
 * error codes and the router line are as on the Vert.x path; a WebSocket's bytes,
 * once the app switched protocols, go through a {@link NettyTunnel}. Used on its event loop only; the
 * connection to the app never leaves it.
 */
final class NettyForward extends Deadlines.Watched {
    private static final Logger LOG = LoggerFactory.getLogger(NettyForward.class);

    private final ClientSide client;
    private final ChannelHandlerContext clientCtx;
    private final NettyLoop loop;
    private final HttpRequest request;
    private final Backend backend;
    private final Exchange exchange;
    private final String host;
    private final String path;
    private final String method;
    private final HttpVersion clientVersion;
    /** The request's head and body on their way to the app. */
    private final NettyRequestOut out;
    /** The Upgrade of a WebSocket handshake (read before the hop-by-hop headers go), or null. */
    private final String upgrade;
    /** After the app switched protocols: the two connections carry each other's bytes; or null. */
    private NettyTunnel tunnel;
    private final Retries retries;
    /** Since when the request waits in its pool's queue (read by {@link UpstreamPool}). */
    long waitingSince;
    /** The wait in its pool's queue, while a JFR recording wants it; else null (set by {@link UpstreamPool}). */
    UpstreamPoolWaitEvent poolWait;

    private Endpoint endpoint;
    private UpstreamPool pool;
    /** The connection to the app of the attempt under way, or null. */
    private Channel app;
    private boolean answered;
    private boolean informational;
    private boolean appKeepAlive;
    private boolean closeAtEnd;
    private boolean clientGone;
    private Throwable appFailure;

    private final NettyTrip trip;

    NettyForward(ClientSide client, ChannelHandlerContext clientCtx, NettyLoop loop, HttpRequest request, Backend backend,
                 Exchange exchange, String host, String path) {
        this.client = client;
        this.clientCtx = clientCtx;
        this.loop = loop;
        this.request = request;
        this.backend = backend;
        this.exchange = exchange;
        this.host = host;
        this.path = path;
        this.method = request.method().name();
        this.clientVersion = request.protocolVersion();
        String forwardedFor = ForwardedHeaders.forwardedFor(request.headers(), clientAddress(clientCtx.channel()));
        this.upgrade = NettyTunnel.webSocketUpgrade(request);
        this.out = new NettyRequestOut(request, upgrade, client.secure(), exchange, forwardedFor);
        this.retries = new Retries(backend, loop.config.balance(), exchange.requestId(), method, out.hasBody(),
                upgrade != null);
        this.trip = new NettyTrip(backend, loop.log, method, path, host, exchange.requestId(), forwardedFor, client.secure(),
                exchange.phases());
    }

    String app() {
        return backend.app();
    }

    /** For the phases recording only: how the pool gives this attempt its connection, and how busy it was. */
    void pooled(boolean fresh, int open, int waiting) {
        trip.pooled(fresh, open, waiting);
    }

    /** The wait in the pool's queue is over ({@code how}: reused, fresh, timed out, cancelled). */
    void waited(String how, int open, int waiting) {
        if (trip.recordingPhases()) {
            trip.queued(System.nanoTime() - waitingSince, how.equals("fresh"));
        }
        if (poolWait != null) {
            poolWait.ended(how, open, waiting);
            poolWait = null;
        }
    }

    /**
     * The router answered itself ({@code error}: H14; null: an HTTPS redirect) with {@code answerStatus}
     * and a body of {@code pageBytes}: only the router line is left to write.
     */
    void answeredByRouter(RouterError routerError, int answerStatus, long pageBytes) {
        trip.failed(routerError);
        trip.status(answerStatus);
        trip.sent(pageBytes);
        finish();
    }

    /** Sends the request to the endpoint the balancer picks; the body waits until a connection is there. */
    void start() {
        if (LOG.isDebugEnabled()) {
            LOG.debug("request {}: {} {} {} -> {}", exchange.requestId(), method, host, path, backend.app());
        }
        attempt();
        if (app == null && !trip.ended()) {
            // The request waits for a connection (being made, or to come back to the pool): so does
            // the client's body. Not paused when a kept-alive connection took it at once: each pause
            // and resume of reading is a change of the socket's epoll interest (a system call).
            client.pause(ClientSide.WAITING_FOR_APP);
        }
    }

    private void attempt() {
        Endpoint chosen = retries.nextEndpoint();
        if (chosen == null) {
            failed(null, new IllegalStateException(backend.app() + " has no endpoint left to try"));
            return;
        }
        trip.attempting(chosen);
        endpoint = chosen;
        pool = loop.pool(chosen);
        pool.acquire(this);
    }

    /** The pool gives this request {@code channel}: the request goes out now. */
    void bound(Channel channel) {
        if (trip.ended() || clientGone) {
            // Nothing of this request was written on it: another request can have it.
            pool.release(channel);
            return;
        }
        app = channel;
        ((Upstream) channel.pipeline().get(Upstream.NAME)).forward = this;
        trip.connected();
        out.sendTo(channel, clientCtx.channel());
        trip.headSent();
        loop.deadlines.watch(this, loop.config.requestTimeout().toMillis());
        client.resume(ClientSide.WAITING_FOR_APP);
        if (!channel.isWritable()) {
            client.pause(ClientSide.APP_BUSY);
        }
    }

    /** No connection could be made to {@code failedEndpoint}: nothing was sent, so another may take the request. */
    void connectFailed(Endpoint failedEndpoint, Throwable cause) {
        if (trip.ended() || !failedEndpoint.equals(endpoint) || app != null) {
            return;
        }
        failed(failedEndpoint, new OriginUnreachable(backend.app(), failedEndpoint, cause));
    }

    /** A piece of the client's body (the last one ends it). */
    void body(HttpContent content) {
        if (out.body(content, app) && !app.isWritable()) {
            client.pause(ClientSide.APP_BUSY);
        }
    }

    void clientReadComplete() {
        if (app != null) {
            app.flush();
        }
    }

    /** The app's connection can take more of the body again (or cannot). */
    void appWritabilityChanged(boolean writable) {
        if (writable) {
            client.resume(ClientSide.APP_BUSY);
        }
    }

    /** The client can take more of the answer again: the app's connection is read again. */
    void clientWritabilityChanged(boolean writable) {
        if (writable && app != null && !app.config().isAutoRead()) {
            held = false;
            lastActivity = System.nanoTime();
            app.config().setAutoRead(true);
        }
    }

    /** What the app sent: its answer's head, a piece of its body, or its end. */
    void fromApp(Object msg) {
        if (tunnel != null) {
            tunnel.fromApp(msg);
            return;
        }
        if (msg instanceof HttpResponse response) {
            if (response.decoderResult().isFailure()) {
                ReferenceCountUtil.release(msg);
                appFailure = response.decoderResult().cause();
                app.close();
                return;
            }
            int code = response.status().code();
            if (code == 101 && upgrade != null) {
                switched(response);
            } else if (code < 200) {
                // 100 Continue and the like: the router answered Expect itself; the real answer follows.
                informational = true;
            } else {
                answered(response);
            }
        }
        if (msg instanceof HttpContent content) {
            if (informational || !answered) {
                if (content instanceof LastHttpContent) {
                    informational = false;
                }
                content.release();
                return;
            }
            lastActivity = System.nanoTime();
            trip.sent(content.content().readableBytes());
            if (content instanceof LastHttpContent last) {
                answerEnded(last);
                return;
            }
            toClient(content);
        }
    }

    private void toClient(Object msg) {
        // No promise per write: a failed write closes the client's connection (ClientSide.exceptionCaught).
        clientCtx.write(msg, clientCtx.voidPromise());
        if (!clientCtx.channel().isWritable()) {
            // The client reads slowly: the app's connection waits, and so does the idle window.
            held = true;
            app.config().setAutoRead(false);
        }
    }

    /** The app switched protocols (a WebSocket): the request is over, its connections carry bytes ({@link NettyTunnel}). */
    private void switched(HttpResponse response) {
        answered = true;
        loop.deadlines.forget(this);
        backend.outliers().succeeded(endpoint);
        trip.status(101);
        tunnel = NettyTunnel.open(client, clientCtx, app, response, exchange.requestId());
        finish();
    }

    /** Bytes from the client after the switch. */
    void fromClient(ByteBuf bytesFromClient) {
        if (tunnel == null || app == null) {
            bytesFromClient.release();
            return;
        }
        tunnel.fromClient(bytesFromClient);
    }

    void appReadComplete() {
        clientCtx.flush();
    }

    private void answered(HttpResponse response) {
        answered = true;
        trip.firstByte();
        backend.outliers().succeeded(endpoint);
        trip.status(response.status().code());
        appKeepAlive = HttpUtil.isKeepAlive(response);
        closeAtEnd = InPlaceHeaders.toClient(response, clientVersion, method.equals("HEAD"), client.closesAfterAnswer(),
                exchange);
        clientCtx.write(response, clientCtx.voidPromise());
        loop.deadlines.watch(this, loop.config.idleTimeout().toMillis());
    }

    /** The app's answer ended: its connection goes back to the pool when it can carry another request. */
    private void answerEnded(LastHttpContent last) {
        loop.deadlines.forget(this);
        Channel used = detach();
        if (appKeepAlive && out.sent()) {
            pool.release(used);
        } else {
            // The app ends the connection, or not all of the request went out on it (the app answered before the body ended).
            used.close();
        }
        ChannelFuture written = clientCtx.write(last);
        finish();
        client.responseEnded(written, closeAtEnd);
    }

    /** The app's connection closed under this request. */
    void appClosed(Channel channel) {
        if (channel != app) {
            return;
        }
        app = null;
        if (tunnel != null) {
            client.cut();
            return;
        }
        if (trip.ended()) {
            return;
        }
        if (!answered) {
            failed(endpoint, appFailure instanceof IOException io ? io
                    : new ClosedChannelException() {
                        @Override
                        public String getMessage() {
                            return "the app closed the connection without answering";
                        }
                    });
            return;
        }
        // Half an answer cannot be finished: the client's connection closes too.
        LOG.debug("request {} to {}: the answer broke off", exchange.requestId(), backend.app());
        loop.deadlines.forget(this);
        finish();
        client.cut();
    }

    void appFailed(Throwable cause) {
        appFailure = cause;
    }

    /** The client's connection closed before the answer ended: the app's request is abandoned too. */
    void clientGone() {
        clientGone = true;
        if (tunnel != null) {
            Channel other = detach();
            if (other != null) {
                other.close();
            }
            return;
        }
        if (trip.ended()) {
            return;
        }
        loop.deadlines.forget(this);
        if (pool != null) {
            pool.cancel(this);
        }
        if (!answered && trip.error() != RouterError.H15) {
            trip.failed(FramingGuard.closedIdle(clientCtx.channel()) ? RouterError.H28 : RouterError.H27);
        }
        Channel abandoned = detach();
        if (abandoned != null) {
            abandoned.close();
        }
        finish();
    }

    /** The request timeout (no answer yet: H12) or the idle window (the answer stopped: H15) passed. */
    @Override
    void expired() {
        if (trip.ended() || app == null) {
            return;
        }
        Channel abandoned = detach();
        abandoned.close();
        if (!answered) {
            failed(endpoint, new TimeoutException("no answer within " + loop.config.requestTimeout().toMillis() + " ms"));
            return;
        }
        LOG.debug("request {} to {}: no data for {} ms, closing", exchange.requestId(), backend.app(),
                loop.config.idleTimeout().toMillis());
        trip.failed(RouterError.H15);
        finish();
        client.cut();
    }

    /** One attempt failed: another, or Heroku's answer ({@link Retries} decides which). */
    private void failed(Endpoint failedEndpoint, Throwable failure) {
        Channel broken = detach();
        if (broken != null) {
            broken.close();
        }
        loop.deadlines.forget(this);
        trip.attemptFailed();
        RouterError answer = retries.afterFailure(failedEndpoint, failure, clientGone);
        if (answer == null) {
            attempt();
            return;
        }
        reply(answer, failure);
    }

    private void reply(RouterError routerError, Throwable failure) {
        LOG.debug("request {} to {}: {} ({})", exchange.requestId(), backend.app(), routerError.description(),
                failure.getMessage());
        trip.failed(routerError == RouterError.H27 && FramingGuard.closedIdle(clientCtx.channel()) ? RouterError.H28
                : routerError);
        if (clientGone || trip.ended()) {
            finish();
            return;
        }
        if (answered) {
            finish();
            client.cut();
            return;
        }
        var page = NettyReplies.error(clientCtx, clientVersion, routerError, exchange,
                request.headers().get(HttpHeaderNames.ACCEPT));
        page.headers().set(ForwardedHeaders.VIA_HEADER, ForwardedHeaders.VIA);
        trip.status(page.status().code());
        trip.sent(page.content().readableBytes());
        finish();
        client.answer(page);
    }

    private Channel detach() {
        Channel channel = app;
        app = null;
        if (channel != null) {
            Upstream end = (Upstream) channel.pipeline().get(Upstream.NAME);
            if (end != null && end.forward == this) {
                end.forward = null;
            }
            if (!channel.config().isAutoRead()) {
                channel.config().setAutoRead(true);
            }
        }
        return channel;
    }

    /**
     * The request is over: whatever of the body the app did not take is read and dropped (so that the
     * client's connection goes on), its place at the instance is given back and its router line written, once.
     */
    private void finish() {
        out.drop();
        trip.end();
    }

    private static String clientAddress(Channel channel) {
        return channel.remoteAddress() instanceof InetSocketAddress inet && inet.getAddress() != null
                ? inet.getAddress().getHostAddress() : "unknown";
    }
}
