package dev.slipway.router.proxy;

import dev.slipway.router.trace.UpstreamConnectEvent;
import dev.slipway.router.trace.UpstreamPoolWaitEvent;
import dev.slipway.zk.Route.Endpoint;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ConnectTimeoutException;
import io.netty.handler.timeout.IdleStateHandler;
import java.util.ArrayDeque;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One event loop's kept-alive connections to one app instance, with the Vert.x path's cap: at most
 * {@link NettyLoop#CONNECTIONS_PER_INSTANCE} open; a request beyond waits for one to come back, at
 * most the connect timeout (then it fails as a connection that was not accepted in time, as Vert.x's
 * pool does). The most recently used idle connection goes first (the others may time out and close).
 */
final class UpstreamPool {
    private final NettyLoop loop;
    private final Endpoint endpoint;
    private final ArrayDeque<Channel> idle = new ArrayDeque<>();
    private final ArrayDeque<NettyForward> waiting = new ArrayDeque<>();
    /** Connections open or being opened. */
    private int open;
    private ScheduledFuture<?> waitTimer;

    UpstreamPool(NettyLoop loop, Endpoint endpoint) {
        this.loop = loop;
        this.endpoint = endpoint;
    }

    Endpoint endpoint() {
        return endpoint;
    }

    /** Gives {@code forward} a connection now, once one is made, or once one comes back. */
    void acquire(NettyForward forward) {
        Channel channel;
        while ((channel = idle.pollLast()) != null) {
            if (channel.isActive()) {
                forward.pooled(false, open, waiting.size());
                forward.bound(channel);
                return;
            }
        }
        if (open < NettyLoop.CONNECTIONS_PER_INSTANCE) {
            forward.pooled(true, open, waiting.size());
            connect(forward);
            return;
        }
        forward.pooled(false, open, waiting.size());
        forward.waitingSince = System.nanoTime();
        forward.poolWait = UpstreamPoolWaitEvent.startIfRecording(forward.app(), endpoint.instance());
        waiting.addLast(forward);
        if (waitTimer == null) {
            scheduleWaitCheck();
        }
    }

    /** {@code forward} no longer wants a connection (its client left). */
    void cancel(NettyForward forward) {
        if (waiting.remove(forward)) {
            forward.waited("cancelled", open, waiting.size());
        }
    }

    private void connect(NettyForward forward) {
        open++;
        UpstreamConnectEvent connectEvent = UpstreamConnectEvent.startIfRecording(endpoint.instance(), open);
        ChannelFuture connecting = loop.connect(endpoint);
        Channel channel = connecting.channel();
        channel.closeFuture().addListener(closed -> closed(channel));
        connecting.addListener(done -> {
            if (connectEvent != null) {
                connectEvent.ended(done.isSuccess());
            }
            if (done.isSuccess()) {
                // Vert.x's client closes a kept-alive connection idle for a minute; so does this one.
                channel.pipeline().addFirst("idle", new IdleStateHandler(0, 0, NettyLoop.UPSTREAM_IDLE_SECONDS, TimeUnit.SECONDS));
                forward.bound(channel);
            } else {
                forward.connectFailed(endpoint, done.cause());
            }
        });
    }

    /** A request is done with {@code channel}, which can carry another: to a waiting request, or kept idle. */
    void release(Channel channel) {
        if (!channel.isActive()) {
            return;
        }
        NettyForward next = waiting.pollFirst();
        if (next != null) {
            next.waited("reused", open, waiting.size());
            next.bound(channel);
            return;
        }
        idle.addLast(channel);
    }

    private void closed(Channel channel) {
        open--;
        idle.remove(channel);
        NettyForward next = waiting.pollFirst();
        if (next != null) {
            next.waited("fresh", open, waiting.size());
            connect(next);
        } else if (open == 0) {
            loop.emptied(this);
        }
    }

    void closeIdle() {
        for (Channel channel : idle.toArray(Channel[]::new)) {
            channel.close();
        }
    }

    /** One timer per pool while requests wait: those that waited the connect timeout fail (H19). */
    private void scheduleWaitCheck() {
        long timeout = loop.config.connectTimeout().toMillis();
        waitTimer = loop.loop.schedule(this::checkWaiting, Math.max(5, timeout / 4), TimeUnit.MILLISECONDS);
    }

    private void checkWaiting() {
        waitTimer = null;
        long limit = TimeUnit.MILLISECONDS.toNanos(loop.config.connectTimeout().toMillis());
        long now = System.nanoTime();
        NettyForward first;
        while ((first = waiting.peekFirst()) != null && now - first.waitingSince >= limit) {
            waiting.pollFirst();
            first.waited("timed out", open, waiting.size());
            first.connectFailed(endpoint, new ConnectTimeoutException("no connection to " + endpoint.instance()
                    + " came free within " + loop.config.connectTimeout().toMillis() + " ms"));
        }
        if (!waiting.isEmpty()) {
            scheduleWaitCheck();
        }
    }
}
