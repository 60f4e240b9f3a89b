package dev.slipway.router;

import dev.slipway.router.log.RouterLog;
import dev.slipway.zk.Route;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.concurrent.FastThreadLocal;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Test;

/**
 * Not a test (its name keeps it out of the suite; {@code bench/pipes} runs it): the ceilings under
 * the router, beside it in one JVM, in front of the origin {@code -Dorigin=PORT}. A bare Netty pipe
 * (HTTP codecs, a pool of kept-alive connections per event loop, the messages passed on as they
 * are, no header work), a bare Vert.x pipe (server request to client request, the headers copied,
 * the body piped: what any Vert.x proxy costs at the least), and Slipway's router (with its framing
 * guard, routing, Heroku's headers and one router line per request, formatted and counted, not
 * shipped), on its Vert.x data path and on its Netty one ({@code router-netty}). Two event loops
 * each (the routers: one per core). Writes their ports to {@code -Dports=FILE} and runs until
 * {@code FILE.stop} appears.
 */
class PipeCeilingBench {
    private static final int LOOPS = 2;

    @Test
    void pipes() throws Exception {
        int origin = Integer.getInteger("origin");
        Path ports = Path.of(System.getProperty("ports"));
        Path stop = Path.of(ports + ".stop");
        Path data = Files.createTempDirectory("slipway-pipes");
        LongAdder lines = new LongAdder();
        LongAdder characters = new LongAdder();
        // Each line formatted, as the log shipper formats every line it ships, and counted.
        RouterLog counted = (app, line) -> {
            lines.increment();
            characters.add(line.format().length());
        };
        Vertx vertx = Vertx.vertx();
        // The transport Vert.x picks here too: epoll where it is available.
        HttpRouter onVertx = null;
        EventLoopGroup netty = Epoll.isAvailable() ? new EpollEventLoopGroup(LOOPS) : new NioEventLoopGroup(LOOPS);
        try (RouterScenario scenario = new RouterScenario(data)) {
            scenario.route("bench", List.of(), new Route.Endpoint("127.0.0.1", origin, "web.1", "task-web.1"));
            scenario.configure = config -> config.withDataPath(DataPath.VERTX);
            onVertx = scenario.startRouter(counted);
            // The same router on its Netty data path (issue 16), beside it on the same routes.
            scenario.configure = config -> config.withDataPath(DataPath.NETTY);
            int routerOnNetty = scenario.startRouter(counted).port();
            int vertxPipe = vertxPipe(vertx, origin);
            int nettyPipe = nettyPipe(netty, origin);
            Files.writeString(ports, "router=" + onVertx.port() + "\nrouter-netty=" + routerOnNetty
                    + "\nvertx=" + vertxPipe + "\nnetty=" + nettyPipe + "\n");
            while (!Files.exists(stop)) {
                Thread.sleep(200);
            }
            System.out.println("router lines formatted: " + lines.sum() + " (" + characters.sum() + " characters)");
        } finally {
            if (onVertx != null) {
                Futures.await(onVertx.stop());
            }
            netty.shutdownGracefully();
            vertx.close();
        }
    }

    private static int vertxPipe(Vertx vertx, int origin) {
        int port = -9999;
        java.util.concurrent.atomic.AtomicInteger actual = new java.util.concurrent.atomic.AtomicInteger();
        Future<String> deployed = vertx.deployVerticle(() -> new VerticleBase() {
            private HttpClient client;

            @Override
            public Future<?> start() {
                client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true), new PoolOptions().setHttp1MaxSize(64));
                SocketAddress server = SocketAddress.inetSocketAddress(origin, "127.0.0.1");
                return vertx.createHttpServer().requestHandler(request -> pipe(request, server)).listen(port, "127.0.0.1")
                        .onSuccess(listening -> actual.set(listening.actualPort()));
            }

            private void pipe(HttpServerRequest request, SocketAddress server) {
                request.pause();
                client.request(new RequestOptions().setServer(server).setMethod(request.method()).setURI(request.uri()))
                        .onSuccess(out -> {
                            MultiMap headers = out.headers();
                            for (Map.Entry<String, String> header : request.headers()) {
                                headers.add(header.getKey(), header.getValue());
                            }
                            out.response().onSuccess(in -> {
                                request.response().setStatusCode(in.statusCode());
                                request.response().headers().addAll(in.headers());
                                in.pipeTo(request.response());
                            }).onFailure(failure -> request.response().setStatusCode(502).end());
                            request.pipeTo(out);
                        })
                        .onFailure(failure -> request.response().setStatusCode(502).end());
            }
        }, new DeploymentOptions().setInstances(LOOPS));
        Futures.await(deployed);
        return actual.get();
    }

    /** One pool of idle connections to the origin per event loop, used on that loop only. */
    private static final FastThreadLocal<ArrayDeque<Channel>> IDLE = new FastThreadLocal<>() {
        @Override
        protected ArrayDeque<Channel> initialValue() {
            return new ArrayDeque<>();
        }
    };

    private static int nettyPipe(EventLoopGroup group, int origin) throws InterruptedException {
        ServerBootstrap server = new ServerBootstrap().group(group)
                .channel(Epoll.isAvailable() ? EpollServerSocketChannel.class : NioServerSocketChannel.class)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        channel.pipeline().addLast(new HttpServerCodec(), new Downstream(origin));
                    }
                });
        return ((java.net.InetSocketAddress) server.bind("127.0.0.1", 0).sync().channel().localAddress()).getPort();
    }

    /** A client's connection: each request goes to an idle origin connection of this loop, or a new one. */
    private static final class Downstream extends ChannelInboundHandlerAdapter {
        private final int origin;
        private Channel upstream;
        private final ArrayDeque<Object> waiting = new ArrayDeque<>();

        Downstream(int origin) {
            this.origin = origin;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof HttpRequest request) {
                HttpUtil.setKeepAlive(request, true);
                request.headers().set(HttpHeaderNames.VIA, "1.1 pipe");
                Channel idle = IDLE.get().pollFirst();
                if (idle != null && idle.isActive()) {
                    bind(ctx, idle);
                } else {
                    connect(ctx);
                }
            }
            if (upstream != null && upstream.isActive() && waiting.isEmpty()) {
                upstream.write(msg);
                if (msg instanceof LastHttpContent) {
                    upstream.flush();
                    upstream = null;
                }
            } else {
                waiting.add(msg);
            }
        }

        private void bind(ChannelHandlerContext ctx, Channel channel) {
            upstream = channel;
            ((Upstream) channel.pipeline().last()).downstream = ctx.channel();
        }

        private void connect(ChannelHandlerContext ctx) {
            EventLoop loop = ctx.channel().eventLoop();
            new Bootstrap().group(loop)
                    .channel(Epoll.isAvailable() ? EpollSocketChannel.class : NioSocketChannel.class).option(ChannelOption.TCP_NODELAY, true)
                    .handler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel channel) {
                            channel.pipeline().addLast(new HttpClientCodec(), new Upstream());
                        }
                    })
                    .connect("127.0.0.1", origin).addListener((ChannelFutureListener) connected -> {
                        if (!connected.isSuccess()) {
                            ctx.close();
                            return;
                        }
                        bind(ctx, connected.channel());
                        boolean last = false;
                        while (!waiting.isEmpty()) {
                            Object next = waiting.poll();
                            last = next instanceof LastHttpContent;
                            upstream.write(next);
                        }
                        upstream.flush();
                        if (last) {
                            upstream = null;
                        }
                    });
        }

    }

    /** An origin connection: the answer goes to the client it serves, and the connection back to the pool at its end. */
    private static final class Upstream extends ChannelInboundHandlerAdapter {
        Channel downstream;

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            Channel client = downstream;
            if (msg instanceof LastHttpContent) {
                client.writeAndFlush(msg);
                downstream = null;
                IDLE.get().addLast(ctx.channel());
            } else {
                client.write(msg);
            }
        }
    }
}
