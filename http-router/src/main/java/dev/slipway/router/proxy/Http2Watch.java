package dev.slipway.router.proxy;

import dev.slipway.router.RouterConfig.ClientLimits;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http2.Http2Connection;
import io.netty.handler.codec.http2.Http2ConnectionAdapter;
import io.netty.handler.codec.http2.Http2ConnectionHandler;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2FrameListenerDecorator;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2Stream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The client timeouts of an HTTP/2 connection, which the framing guard does not see: a connection
 * must open its first stream within the header timeout, and is closed (GOAWAY, then the socket) once
 * it has had no stream open for the keep-alive timeout, as nginx's {@code keepalive_timeout} for
 * HTTP/2; bytes that trickle in without completing a stream (a HEADERS frame sent a byte at a time)
 * do not keep it open. A stream whose request body pauses longer than the body timeout is reset
 * (CANCEL; the app's request is aborted), unless the router itself holds the body back (the app reads
 * it slowly, so the client has no flow-control window left). One per connection, on its event loop;
 * one timer task.
 */
final class Http2Watch extends ChannelInboundHandlerAdapter {
    static final String NAME = "slipway-http2-watch";

    private final ClientLimits limits;
    private final Http2ConnectionHandler http2;
    private final Http2Connection connection;
    private final Http2Connection.PropertyKey lastRead;
    private ChannelHandlerContext ctx;
    private long idleSince;
    private boolean served;
    private ScheduledFuture<?> timer;
    private long timerFiresAt;

    Http2Watch(ClientLimits limits, Http2ConnectionHandler http2) {
        this.limits = limits;
        this.http2 = http2;
        this.connection = http2.connection();
        this.lastRead = connection.newKey();
    }

    @Override
    public void handlerAdded(ChannelHandlerContext context) {
        ctx = context;
        idleSince = System.nanoTime();
        connection.addListener(new Http2ConnectionAdapter() {
            @Override
            public void onStreamActive(Http2Stream stream) {
                served = true;
                stream.setProperty(lastRead, System.nanoTime());
                // Its body timeout must be looked at in time.
                long bodyTimeout = limits.bodyTimeout().toNanos();
                if (timer != null && timerFiresAt - (System.nanoTime() + bodyTimeout) > 0) {
                    timer.cancel(false);
                    schedule(bodyTimeout);
                }
            }

            @Override
            public void onStreamClosed(Http2Stream stream) {
                idleSince = System.nanoTime();
            }
        });
        // Each DATA frame a stream reads restarts its body timeout.
        http2.decoder().frameListener(new Http2FrameListenerDecorator(http2.decoder().frameListener()) {
            @Override
            public int onDataRead(ChannelHandlerContext context, int streamId, ByteBuf data, int padding, boolean endOfStream)
                    throws Http2Exception {
                read(streamId);
                return super.onDataRead(context, streamId, data, padding, endOfStream);
            }

            @Override
            public void onHeadersRead(ChannelHandlerContext context, int streamId, Http2Headers headers, int padding,
                                      boolean endOfStream) throws Http2Exception {
                read(streamId);
                super.onHeadersRead(context, streamId, headers, padding, endOfStream);
            }

            @Override
            public void onHeadersRead(ChannelHandlerContext context, int streamId, Http2Headers headers, int streamDependency,
                                      short weight, boolean exclusive, int padding, boolean endOfStream) throws Http2Exception {
                read(streamId);
                super.onHeadersRead(context, streamId, headers, streamDependency, weight, exclusive, padding, endOfStream);
            }
        });
        schedule(idleLimit());
    }

    private void read(int streamId) {
        Http2Stream stream = connection.stream(streamId);
        if (stream != null) {
            stream.setProperty(lastRead, System.nanoTime());
        }
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

    private long idleLimit() {
        return (served ? limits.keepAliveTimeout() : limits.headerTimeout()).toNanos();
    }

    private void schedule(long delayNanos) {
        timerFiresAt = System.nanoTime() + delayNanos;
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
        long now = System.nanoTime();
        if (connection.numActiveStreams() > 0) {
            schedule(Math.min(idleLimit(), resetStalledBodies(now)));
            return;
        }
        long idle = now - idleSince;
        long limit = idleLimit();
        if (idle >= limit) {
            // From the tail, so that Netty's HTTP/2 handler says GOAWAY before the socket closes.
            ctx.channel().close();
        } else {
            schedule(limit - idle);
        }
    }

    /** Resets the streams whose body stalled; the nanoseconds until the next one may have. */
    private long resetStalledBodies(long now) {
        long bodyTimeout = limits.bodyTimeout().toNanos();
        List<Http2Stream> stalled = new ArrayList<>();
        long[] next = {bodyTimeout};
        try {
            connection.forEachActiveStream(stream -> {
                Long last = stream.getProperty(lastRead);
                // OPEN: the client has not ended its request yet. Bytes the router has not consumed
                // mean the pause is the router's (the app reads slowly), not the client's.
                if (stream.state() == Http2Stream.State.OPEN && last != null) {
                    long left = last + bodyTimeout - now;
                    if (left > 0) {
                        next[0] = Math.min(next[0], left);
                    } else if (http2.decoder().flowController().unconsumedBytes(stream) == 0) {
                        stalled.add(stream);
                    }
                }
                return true;
            });
        } catch (Http2Exception e) {
            // The visitor throws nothing.
            throw new IllegalStateException(e);
        }
        if (stalled.isEmpty()) {
            return next[0];
        }
        ChannelHandlerContext codec = ctx.pipeline().context(http2);
        for (Http2Stream stream : stalled) {
            http2.resetStream(codec, stream.id(), Http2Error.CANCEL.code(), codec.newPromise());
        }
        codec.flush();
        return next[0];
    }
}
