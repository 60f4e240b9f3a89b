package dev.slipway.router.proxy;

import dev.slipway.router.RouterConfig;
import dev.slipway.router.log.RouterLog;
import dev.slipway.router.route.RouteTable;
import dev.slipway.zk.Route.Endpoint;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.resolver.AddressResolverGroup;
import java.net.SocketAddress;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * One event loop's share of the Netty data path: its pools of connections to app instances, the
 * timeouts of its requests ({@link Deadlines}) and what every request on it reads. Everything here
 * is used on that loop only, so nothing is locked or shared between threads (the balance's counters
 * and the route table are, as on the Vert.x path).
 */
final class NettyLoop {
    /** Connections kept per app instance by each loop, as RouterLoop's Vert.x client; more requests wait for one. */
    static final int CONNECTIONS_PER_INSTANCE = 64;
    /** An idle connection to an app is closed after this, as Vert.x's client does (its keep-alive timeout). */
    static final long UPSTREAM_IDLE_SECONDS = 60;

    final EventLoop loop;
    final RouterConfig config;
    final Supplier<RouteTable> routes;
    final Clock clock;
    final RouterLog log;
    final Deadlines deadlines;
    final NettyListener listener;
    /** Null without an HTTPS listener. */
    final HttpsRedirect httpsRedirect;
    private final Bootstrap bootstrap;
    private final Map<Endpoint, UpstreamPool> pools = new HashMap<>();

    NettyLoop(EventLoop loop, NettyListener listener, RouterConfig config, Supplier<RouteTable> routes, Clock clock,
              RouterLog log, Class<? extends Channel> channelType, AddressResolverGroup<? extends SocketAddress> resolver) {
        this.loop = loop;
        this.listener = listener;
        this.config = config;
        this.routes = routes;
        this.clock = clock;
        this.log = log;
        this.httpsRedirect = HttpsRedirect.of(config);
        this.deadlines = new Deadlines((delay, task) -> loop.schedule(task, delay, TimeUnit.MILLISECONDS),
                Math.min(config.requestTimeout().toMillis(), config.idleTimeout().toMillis()));
        this.bootstrap = new Bootstrap().group(loop).channel(channelType)
                .resolver(resolver)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, config.connectTimeout().toMillis()))
                .handler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel channel) {
                        channel.pipeline().addLast("codec", new HttpClientCodec());
                        channel.pipeline().addLast(Upstream.NAME, new Upstream());
                    }
                });
    }

    /** The pool of connections to {@code endpoint} on this loop. */
    UpstreamPool pool(Endpoint endpoint) {
        UpstreamPool pool = pools.get(endpoint);
        if (pool == null) {
            pool = new UpstreamPool(this, endpoint);
            pools.put(endpoint, pool);
        }
        return pool;
    }

    /** Starts a connection to {@code endpoint}; its pool hears how it went. */
    io.netty.channel.ChannelFuture connect(Endpoint endpoint) {
        return bootstrap.connect(java.net.InetSocketAddress.createUnresolved(endpoint.host(), endpoint.port()));
    }

    /** Forgets the pool of an endpoint that holds no connection and nobody waits for (the routes changed). */
    void emptied(UpstreamPool pool) {
        pools.remove(pool.endpoint(), pool);
    }

    /** Closes every idle connection to an app (the router stops). */
    void closeIdle() {
        for (UpstreamPool pool : pools.values().toArray(UpstreamPool[]::new)) {
            pool.closeIdle();
        }
    }
}
