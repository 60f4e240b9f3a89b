package dev.slipway.router.proxy;

import dev.slipway.router.RouterConfig.ClientLimits;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http2.Http2Connection;
import io.netty.handler.codec.http2.Http2ConnectionAdapter;
import io.netty.handler.codec.http2.Http2Stream;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The client timeouts of an HTTP/2 connection, which the framing guard does not see: a connection
 * must open its first stream within the header timeout, and is closed (GOAWAY, then the socket) once
 * it has had no stream open for the keep-alive timeout, as nginx's {@code keepalive_timeout} for
 * HTTP/2. Bytes that trickle in without completing a stream (a HEADERS frame sent a byte at a time)
 * do not keep it open. One per connection, on its event loop; one timer task, moved lazily.
 */
final class Http2Watch extends ChannelInboundHandlerAdapter {
    static final String NAME = "slipway-http2-watch";

    private final ClientLimits limits;
    private final Http2Connection connection;
    private ChannelHandlerContext ctx;
    private long idleSince;
    private boolean served;
    private ScheduledFuture<?> timer;

    Http2Watch(ClientLimits limits, Http2Connection connection) {
        this.limits = limits;
        this.connection = connection;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext context) {
        ctx = context;
        idleSince = System.nanoTime();
        connection.addListener(new Http2ConnectionAdapter() {
            @Override
            public void onStreamActive(Http2Stream stream) {
                served = true;
            }

            @Override
            public void onStreamClosed(Http2Stream stream) {
                idleSince = System.nanoTime();
            }
        });
        schedule(limit());
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext context) {
        stop();
    }

    @Override
    public void channelInactive(ChannelHandlerContext context) throws Exception {
        stop();
        super.channelInactive(context);
    }

    private long limit() {
        return (served ? limits.keepAliveTimeout() : limits.headerTimeout()).toNanos();
    }

    private void schedule(long delayNanos) {
        timer = ctx.executor().schedule(this::tick, delayNanos, TimeUnit.NANOSECONDS);
    }

    private void stop() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }

    private void tick() {
        timer = null;
        if (!ctx.channel().isActive()) {
            return;
        }
        long limit = limit();
        if (connection.numActiveStreams() > 0) {
            schedule(limit);
            return;
        }
        long idle = System.nanoTime() - idleSince;
        if (idle >= limit) {
            // From the tail, so that Netty's HTTP/2 handler says GOAWAY before the socket closes.
            ctx.channel().close();
        } else {
            schedule(limit - idle);
        }
    }
}
