package dev.slipway.router.proxy;

import dev.slipway.router.RouterConfig;
import dev.slipway.router.log.RouterLog;
import dev.slipway.router.route.RouteTable;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerExpectContinueHandler;
import io.netty.resolver.dns.DnsAddressResolverGroup;
import io.netty.resolver.dns.DnsNameResolverBuilder;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The router's plain HTTP/1.1 listener on the Netty data path ({@code slipway.router.dataPath=netty}):
 * a {@link ServerBootstrap} on the epoll transport where it loads (NIO elsewhere), each accepted
 * connection guarded as on the Vert.x path ({@link ClientConnections}: lingering close, the framing
 * guard in front of Netty's HTTP/1.1 codec, the per-address limit, the drain notice, the metrics),
 * then {@link ClientSide}. It runs on event loops of its own, as many as the router has cores (as
 * many as the Vert.x path's {@code RouterLoop}s): the connections to apps of one loop are pooled on
 * that loop ({@link NettyLoop}), so a request never changes threads, and stopping the listener never
 * waits on Vert.x's loops, which keep the ZooKeeper callbacks and the metrics listener.
 */
public final class NettyListener {
    private static final Logger LOG = LoggerFactory.getLogger(NettyListener.class);
    /** Vert.x's limits on the request line (set by RouterLoop) and head, and the largest piece of a body passed on. */
    private static final int MAX_LINE = 8 * 1024;
    private static final int MAX_HEAD = 8 * 1024;
    private static final int MAX_CHUNK = 8 * 1024;
    /**
     * The name of the client connection's HTTP codec: Vert.x's name for its encoder, so that the
     * guard's response watch, the drain notice and the metrics' request counter go right after it.
     */
    static final String CODEC = "httpEncoder";

    private final EventLoopGroup group;
    private final ChannelGroup connections = new DefaultChannelGroup("slipway-router-clients", GlobalEventExecutor.INSTANCE);
    private final ClientConnections clients;
    private final long drainMillis;
    private volatile Map<EventExecutor, NettyLoop> loops = Map.of();
    private volatile boolean draining;
    private Channel server;

    private NettyListener(EventLoopGroup group, ClientConnections clients, long drainMillis) {
        this.group = group;
        this.clients = clients;
        this.drainMillis = drainMillis;
    }

    /**
     * Listens on {@code config}'s host and port with {@code threads} event loops. Fails (never
     * silently falls back to Vert.x) when the configuration asks for what this path cannot do yet:
     * HTTPS.
     */
    public static Future<NettyListener> start(RouterConfig config, Supplier<RouteTable> routes, Clock clock, RouterLog log,
                                              ClientConnections clients, int threads) {
        if (config.tls() != null) {
            return Future.failedFuture(new IllegalArgumentException("the router's netty data path serves plain HTTP/1.1 "
                    + "only: it has no HTTPS listener yet; start the router without TLS, or on the vertx data path"));
        }
        boolean epoll = Epoll.isAvailable();
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory("slipway-router-netty"),
                epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
        Class<? extends ServerChannel> serverType = epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
        Class<? extends Channel> clientType = epoll ? EpollSocketChannel.class : NioSocketChannel.class;
        Class<? extends DatagramChannel> dnsType = epoll ? EpollDatagramChannel.class : NioDatagramChannel.class;
        // Apps named by host name are resolved without blocking a loop (the JDK's resolver would).
        DnsAddressResolverGroup resolver = new DnsAddressResolverGroup(new DnsNameResolverBuilder().datagramChannelType(dnsType));
        NettyListener listener = new NettyListener(group, clients, config.drain().toMillis());
        Map<EventExecutor, NettyLoop> loops = new HashMap<>();
        for (EventExecutor executor : group) {
            loops.put(executor, new NettyLoop((EventLoop) executor, listener, config, routes, clock, log, clientType, resolver));
        }
        listener.loops = Map.copyOf(loops);
        ServerBootstrap bootstrap = new ServerBootstrap().group(group).channel(serverType)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        listener.accepted(channel);
                    }
                });
        Promise<NettyListener> started = Promise.promise();
        bootstrap.bind(config.host(), config.port()).addListener(bound -> {
            if (bound.isSuccess()) {
                listener.server = ((io.netty.channel.ChannelFuture) bound).channel();
                LOG.info("netty data path listening on {}:{} ({} {} event loops)", config.host(), listener.port(),
                        threads, epoll ? "epoll" : "NIO");
                started.complete(listener);
            } else {
                group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
                started.fail(bound.cause());
            }
        });
        return started.future();
    }

    private void accepted(SocketChannel channel) {
        NettyLoop loop = loops.get(channel.eventLoop());
        FramingGuard guard = clients.guard(channel);
        channel.pipeline().addLast(CODEC, new HttpServerCodec(MAX_LINE, MAX_HEAD, MAX_CHUNK));
        // The router takes the body itself, so "Expect: 100-continue" clients are answered here (as on Vert.x).
        channel.pipeline().addLast("continue", new HttpServerExpectContinueHandler());
        channel.pipeline().addLast(ClientSide.NAME, new ClientSide(loop));
        connections.add(channel);
        clients.guarded(channel, guard, CODEC);
    }

    /** The port listened on. */
    public int port() {
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    boolean draining() {
        return draining;
    }

    /**
     * Drains, as the Vert.x path does: no new connection is accepted, idle ones close now, each one
     * with a request under way closes once its answer ended ({@code Connection: close}), and whatever
     * still runs after the drain time is cut. Then the loops stop, with their connections to apps.
     */
    public Future<Void> stop() {
        draining = true;
        Promise<Void> stopped = Promise.promise();
        if (server != null) {
            server.close();
        }
        for (Channel channel : connections) {
            channel.eventLoop().execute(() -> {
                if (channel.pipeline().get(ClientSide.NAME) instanceof ClientSide side && side.idle()) {
                    channel.close();
                }
            });
        }
        io.netty.util.concurrent.ScheduledFuture<?> cut = GlobalEventExecutor.INSTANCE.schedule(() -> {
            if (!connections.isEmpty()) {
                LOG.warn("requests still in flight after the drain of {} ms: their connections are cut", drainMillis);
                connections.close();
            }
        }, Math.max(1, drainMillis), TimeUnit.MILLISECONDS);
        connections.newCloseFuture().addListener(closed -> {
            cut.cancel(false);
            for (NettyLoop loop : loops.values()) {
                loop.loop.execute(loop::closeIdle);
            }
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS).addListener(down -> stopped.complete());
        });
        return stopped.future();
    }
}
