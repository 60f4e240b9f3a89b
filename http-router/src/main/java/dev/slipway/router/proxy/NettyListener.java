package dev.slipway.router.proxy;

import dev.slipway.router.RouterConfig;
import dev.slipway.router.log.RouterLog;
import dev.slipway.router.route.RouteTable;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
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
import io.netty.handler.codec.http2.Http2CodecUtil;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.ApplicationProtocolNegotiationHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import dev.slipway.router.tls.HttpsListener;
import dev.slipway.router.tls.LiveCertificates;
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
 * The router's listeners (plain, and HTTPS when configured) on the Netty data path
 * ({@code slipway.router.dataPath=netty}):
 * a {@link ServerBootstrap} on the epoll transport where it loads (NIO elsewhere), each accepted
 * connection guarded as on the Vert.x path ({@link ClientConnections}: lingering close, the framing
 * guard in front of Netty's HTTP/1.1 codec, or Netty's HTTP/2 codec and {@link Http2Watch}, the
 * per-address limit, the drain notice, the metrics), then {@link ClientSide} (one per HTTP/2
 * stream). It runs on event loops of its own, as many as the router has cores (as many as the
 * Vert.x path's {@code RouterLoop}s): the connections to apps of one loop are pooled on that loop
 * ({@link NettyLoop}), so a request never changes threads (an HTTP/2 stream's channel is on its
 * connection's loop), and stopping the listener never waits on Vert.x's loops, which keep the
 * ZooKeeper callbacks and the metrics listener.
 */
public final class NettyListener {
    private static final Logger LOG = LoggerFactory.getLogger(NettyListener.class);
    /** Vert.x's limits on the request line (set by RouterLoop) and head, and the largest piece of a body passed on. */
    private static final int MAX_LINE = 8 * 1024;
    private static final int MAX_HEAD = 8 * 1024;
    private static final int MAX_CHUNK = 8 * 1024;
    /** RouterLoop's HTTP/2 settings: nginx's 128 streams at once, a header list as big as an HTTP/1.1 head. */
    private static final int MAX_STREAMS = 128;
    private static final int MAX_HEADER_LIST = 8 * 1024;
    private static final String HTTP2_CODEC = "slipway-http2";
    /**
     * The name of the client connection's HTTP codec: Vert.x's name for its encoder, so that the
     * guard's response watch, the drain notice and the metrics' request counter go right after it.
     */
    static final String CODEC = "httpEncoder";

    /**
     * The last handler of an HTTP/2 connection: what failed under Netty's codec and was not an HTTP/2
     * error (a reset socket, say) closes the connection quietly, as ClientSide does for HTTP/1.1; the
     * codec answers its own errors.
     */
    private static final ChannelHandler CONNECTION_FAILED = new ConnectionFailed();

    private final EventLoopGroup group;
    private final DnsAddressResolverGroup resolver;
    private final ChannelGroup connections = new DefaultChannelGroup("slipway-router-clients", GlobalEventExecutor.INSTANCE);
    private final ClientConnections clients;
    private final long drainMillis;
    private volatile Map<EventExecutor, NettyLoop> loops = Map.of();
    private volatile boolean draining;
    private Channel server;
    private Channel httpsServer;

    private NettyListener(EventLoopGroup group, DnsAddressResolverGroup resolver, ClientConnections clients,
                          long drainMillis) {
        this.group = group;
        this.resolver = resolver;
        this.clients = clients;
        this.drainMillis = drainMillis;
    }

    /**
     * Listens on {@code config}'s host and port with {@code threads} event loops, and with
     * {@code certificates} (null for none) on its HTTPS port too: HTTP/1.1, and HTTP/2 as h2 (by ALPN)
     * and h2c (with prior knowledge).
     */
    public static Future<NettyListener> start(RouterConfig config, LiveCertificates certificates,
                                              Supplier<RouteTable> routes, Clock clock, RouterLog log,
                                              ClientConnections clients, int threads) {
        SslContext tls;
        try {
            tls = certificates == null ? null : HttpsListener.nettyContext(certificates);
        } catch (RuntimeException e) {
            return Future.failedFuture(e);
        }
        boolean epoll = Epoll.isAvailable();
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory("slipway-router-netty"),
                epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
        Class<? extends ServerChannel> serverType = epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
        Class<? extends Channel> clientType = epoll ? EpollSocketChannel.class : NioSocketChannel.class;
        Class<? extends DatagramChannel> dnsType = epoll ? EpollDatagramChannel.class : NioDatagramChannel.class;
        // Apps named by host name are resolved without blocking a loop (the JDK's resolver would).
        DnsAddressResolverGroup resolver = new DnsAddressResolverGroup(new DnsNameResolverBuilder().datagramChannelType(dnsType));
        NettyListener listener = new NettyListener(group, resolver, clients, config.drain().toMillis());
        Map<EventExecutor, NettyLoop> loops = new HashMap<>();
        for (EventExecutor executor : group) {
            loops.put(executor, new NettyLoop((EventLoop) executor, listener, config, routes, clock, log, clientType, resolver));
        }
        listener.loops = Map.copyOf(loops);
        Promise<NettyListener> started = Promise.promise();
        listener.bind(serverType, config.host(), config.port(), null).addListener(bound -> {
            if (!bound.isSuccess()) {
                listener.failed(started, bound.cause());
                return;
            }
            listener.server = ((ChannelFuture) bound).channel();
            if (tls == null) {
                listener.started(started, config, threads, epoll);
                return;
            }
            listener.bind(serverType, config.host(), config.tls().port(), tls).addListener(secure -> {
                if (!secure.isSuccess()) {
                    listener.server.close();
                    listener.failed(started, secure.cause());
                    return;
                }
                listener.httpsServer = ((ChannelFuture) secure).channel();
                listener.started(started, config, threads, epoll);
            });
        });
        return started.future();
    }

    private ChannelFuture bind(Class<? extends ServerChannel> serverType, String host, int port, SslContext tls) {
        return new ServerBootstrap().group(group).channel(serverType)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        accepted(channel, tls);
                    }
                })
                .bind(host, port);
    }

    private void started(Promise<NettyListener> started, RouterConfig config, int threads, boolean epoll) {
        LOG.info("netty data path listening on {}:{}{} ({} {} event loops)",
                config.host(), port(), httpsServer == null ? "" : " and HTTPS on " + httpsPort(), threads,
                epoll ? "epoll" : "NIO");
        started.complete(this);
    }

    private void failed(Promise<NettyListener> started, Throwable cause) {
        resolver.close();
        group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
        started.fail(cause);
    }

    /**
     * A client connection: on the HTTPS listener TLS first, then HTTP/2 or HTTP/1.1 as ALPN chose
     * (the guard reads the decrypted bytes, and the metrics see the connection once its handshake is
     * done, or its failure); on the plain one the guard, which steps aside for h2c's preface, in front
     * of HTTP/1.1, as on the Vert.x path.
     */
    private void accepted(SocketChannel channel, SslContext tls) {
        NettyLoop loop = loops.get(channel.eventLoop());
        ChannelPipeline pipeline = channel.pipeline();
        pipeline.addFirst(LingeringClose.NAME, new LingeringClose());
        if (tls == null) {
            FramingGuard guard = clients.guard(channel, LingeringClose.NAME, true);
            pipeline.addLast(PriorKnowledge.NAME, new PriorKnowledge(prior -> http2(prior, loop, false)));
            http1(channel, loop, guard, false);
            clients.serving(channel, false);
            return;
        }
        SslHandler handshake = tls.newHandler(channel.alloc());
        pipeline.addLast("ssl", handshake);
        handshake.handshakeFuture().addListener(done -> {
            if (!done.isSuccess()) {
                clients.failed(done.cause());
                channel.close();
            }
        });
        // Holds what the client sends after its handshake until the pipeline for its protocol is built.
        pipeline.addLast("alpn", new ApplicationProtocolNegotiationHandler(ApplicationProtocolNames.HTTP_1_1) {
            @Override
            protected void configurePipeline(ChannelHandlerContext ctx, String protocol) {
                if (ApplicationProtocolNames.HTTP_2.equals(protocol)) {
                    http2(channel, loop, true);
                    clients.limited(channel);
                } else {
                    http1(channel, loop, clients.guard(channel, ctx.name(), false), true);
                }
                clients.serving(channel, true);
            }

            @Override
            protected void handshakeFailure(ChannelHandlerContext ctx, Throwable cause) {
                // Counted by the handshake's listener.
                ctx.close();
            }

            @Override
            public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                LOG.debug("client connection failed: {}", cause.toString());
                ctx.close();
            }
        });
    }

    /** HTTP/1.1 behind {@code guard}: Netty's codec, then {@link ClientSide}. */
    private void http1(Channel channel, NettyLoop loop, FramingGuard guard, boolean secure) {
        ChannelPipeline pipeline = channel.pipeline();
        pipeline.addLast(CODEC, new HttpServerCodec(MAX_LINE, MAX_HEAD, MAX_CHUNK));
        // The router takes the body itself, so "Expect: 100-continue" clients are answered here (as on Vert.x).
        pipeline.addLast("continue", new HttpServerExpectContinueHandler());
        pipeline.addLast(ClientSide.NAME, new ClientSide(loop, secure));
        connections.add(channel);
        clients.guarded(channel, guard, CODEC);
    }

    /**
     * HTTP/2 (h2 chosen by ALPN, or h2c with prior knowledge): Netty's codec, with the Vert.x path's
     * settings and {@link Http2Watch}; each stream its own channel on the connection's event loop,
     * read by {@link ClientSide} as HTTP/1.1 messages ({@link NettyHttp2Stream}). Closing the connection
     * says GOAWAY and waits for its streams for the drain time.
     */
    private void http2(Channel channel, NettyLoop loop, boolean secure) {
        Http2FrameCodec codec = Http2FrameCodecBuilder.forServer()
                .initialSettings(Http2Settings.defaultSettings()
                        .maxConcurrentStreams(MAX_STREAMS)
                        .maxHeaderListSize(MAX_HEADER_LIST))
                .gracefulShutdownTimeoutMillis(drainMillis)
                .build();
        ChannelPipeline pipeline = channel.pipeline();
        pipeline.addLast(HTTP2_CODEC, codec);
        pipeline.addLast("slipway-http2-streams", new Http2MultiplexHandler(new ChannelInitializer<Http2StreamChannel>() {
            @Override
            protected void initChannel(Http2StreamChannel stream) {
                stream.pipeline().addLast(NettyHttp2Stream.NAME, new NettyHttp2Stream());
                stream.pipeline().addLast("continue", new HttpServerExpectContinueHandler());
                stream.pipeline().addLast(ClientSide.NAME, new ClientSide(loop, secure));
            }
        }));
        clients.http2(channel, codec, MAX_STREAMS);
        pipeline.addLast("slipway-http2-failed", CONNECTION_FAILED);
        connections.add(channel);
    }

    /** The port listened on. */
    public int port() {
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    /** The HTTPS listener's port, -1 without one. */
    public int httpsPort() {
        return httpsServer == null ? -1 : ((InetSocketAddress) httpsServer.localAddress()).getPort();
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
        if (httpsServer != null) {
            httpsServer.close();
        }
        for (Channel channel : connections) {
            channel.eventLoop().execute(() -> {
                if (channel.pipeline().get(ClientSide.NAME) instanceof ClientSide side && side.idle()) {
                    channel.close();
                } else if (channel.pipeline().get(HTTP2_CODEC) != null) {
                    // GOAWAY: no new stream; the connection closes once those under way ended.
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
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS).addListener(down -> {
                resolver.close();
                stopped.complete();
            });
        });
        return stopped.future();
    }

    @ChannelHandler.Sharable
    private static final class ConnectionFailed extends ChannelInboundHandlerAdapter {
        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            if (Http2CodecUtil.getEmbeddedHttp2Exception(cause) != null) {
                // Shown here before the codec answers it (a GOAWAY with its code, RST_STREAM): not ours to close.
                return;
            }
            LOG.debug("client connection failed: {}", cause.toString());
            ctx.close();
        }
    }
}
