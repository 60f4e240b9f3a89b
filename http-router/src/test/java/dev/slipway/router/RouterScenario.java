package dev.slipway.router;

import dev.slipway.zk.App;
import dev.slipway.zk.AppStore;
import dev.slipway.zk.Domain;
import dev.slipway.zk.EmbeddedZooKeeper;
import dev.slipway.zk.SelfSigned;
import dev.slipway.zk.TlsCertificate;
import dev.slipway.zk.Route;
import dev.slipway.zk.RouteStore;
import dev.slipway.zk.ZkClient;
import dev.slipway.zk.ZkCredentials;
import dev.slipway.zk.ZkPaths;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.net.SocketAddress;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.curator.framework.CuratorFramework;

import static org.awaitility.Awaitility.await;

/**
 * A real ZooKeeper, real app instances on 127.0.0.1 and a router on a free port, with the verbs the
 * router tests speak: {@code instance("web.1")}, {@code route("hello", ...)}, {@code startRouter()},
 * {@code get("hello.localhost", "/")}.
 */
final class RouterScenario implements AutoCloseable {
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(5);

    /** What the client got back from the router. */
    record Reply(int status, MultiMap headers, String body) {
        String header(String name) {
            return headers.get(name);
        }
    }

    private final Vertx vertx = Vertx.vertx();
    private final EmbeddedZooKeeper zooKeeper;
    private final CuratorFramework curator;
    // The router reads routes as the read-only identity, as in slipway up.
    private final CuratorFramework routerCurator;
    private final RouteStore routes;
    private final HttpClient client;
    // Held in a field: Vert.x closes a client (and its connections) once it is garbage.
    private final WebSocketClient webSockets;
    private HttpRouter router;
    private boolean zooKeeperStopped;
    /** The router lines the router wrote, by app. */
    final CollectedLines lines = new CollectedLines();
    /** Changes to the router's configuration; set before {@link #startRouter()}. */
    java.util.function.UnaryOperator<RouterConfig> configure = config -> config;
    /** The router's clock; set before {@link #startRouter()} for a time the test chooses. */
    java.time.Clock clock = java.time.Clock.systemUTC();

    RouterScenario(Path dataDir) {
        zooKeeper = EmbeddedZooKeeper.start(dataDir, 0);
        ZkCredentials credentials = ZkCredentials.random();
        curator = ZkClient.connect(zooKeeper.connectString(), ZkPaths.DEFAULT_CHROOT, credentials.slipway(),
                credentials.acls(), 10);
        routes = new RouteStore(curator);
        routerCurator = ZkClient.connect(zooKeeper.connectString(), ZkPaths.DEFAULT_CHROOT, credentials.router(),
                credentials.acls(), 10);
        client = vertx.createHttpClient();
        webSockets = vertx.createWebSocketClient();
    }

    AppInstance instance(String name) {
        return AppInstance.answering(vertx, name);
    }

    AppInstance silentInstance(String name) {
        return AppInstance.silent(vertx, name);
    }

    /** An instance that answers each request {@code delayMillis} after it arrived. */
    AppInstance slowInstance(String name, long delayMillis) {
        return AppInstance.slow(vertx, name, delayMillis);
    }

    AppInstance hangingUpInstance(String name) {
        return AppInstance.hangingUp(vertx, name);
    }

    /** An endpoint on a port that nothing listens on. */
    Route.Endpoint deadEndpoint(String name) {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return new Route.Endpoint("127.0.0.1", socket.getLocalPort(), name, "task-" + name);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void route(String app, AppInstance... instances) {
        route(app, List.of(), Arrays.stream(instances).map(AppInstance::endpoint).toArray(Route.Endpoint[]::new));
    }

    void route(String app, List<String> hostnames, Route.Endpoint... endpoints) {
        routes.put(new Route(app, hostnames, List.of(endpoints)));
    }

    /** Stores {@code route} as the framework publishes it (e.g. an HTTPS-only one). */
    void route(Route route) {
        routes.put(route);
    }

    HttpRouter startRouter() {
        return startRouter(REQUEST_TIMEOUT);
    }

    HttpRouter startRouter(Duration requestTimeout) {
        return startRouter(requestTimeout, RouterConfig.ClientLimits.defaults());
    }

    HttpRouter startRouter(Duration requestTimeout, RouterConfig.ClientLimits clients) {
        RouterConfig config = configure.apply(
                new RouterConfig("127.0.0.1", 0, "localhost", Duration.ofSeconds(2), requestTimeout, clients));
        router = Futures.await(HttpRouter.start(vertx, config, new RouteStore(routerCurator), clock, lines));
        return router;
    }

    /** As {@link #startRouter()}, writing its router lines to {@code log} instead of {@link #lines}. */
    HttpRouter startRouter(dev.slipway.router.log.RouterLog log) {
        RouterConfig config = configure.apply(new RouterConfig("127.0.0.1", 0, "localhost", Duration.ofSeconds(2),
                REQUEST_TIMEOUT, RouterConfig.ClientLimits.defaults()));
        router = Futures.await(HttpRouter.start(vertx, config, new RouteStore(routerCurator), clock, log));
        return router;
    }

    /** A router with an HTTPS listener on a free port and a self-signed default certificate. */
    HttpRouter startRouterWithTls() {
        RouterConfig config = configure.apply(new RouterConfig("127.0.0.1", 0, "localhost", Duration.ofSeconds(2),
                REQUEST_TIMEOUT).withTls(new RouterConfig.Tls(0, null, null)));
        router = Futures.await(HttpRouter.start(vertx, config, new RouteStore(routerCurator), clock));
        return router;
    }

    /**
     * Stores {@code pair} as the certificate of {@code app}'s custom domain {@code hostname}, as the
     * API does (the app and the domain made first when missing): a new one, or a replacement.
     */
    void certificate(String app, String hostname, SelfSigned pair) {
        AppStore apps = new AppStore(curator);
        if (apps.get(app).isEmpty()) {
            apps.create(App.created(app, Instant.now()));
        }
        if (!apps.require(app).value().domains().contains(hostname)) {
            apps.domains().add(apps.require(app), new Domain(hostname, app, UUID.randomUUID().toString(), Instant.now()));
        }
        apps.certs().put(new TlsCertificate(hostname, app, UUID.randomUUID().toString(), pair.certificate(),
                pair.privateKey(), Instant.now(), Instant.now()));
    }

    Reply get(String host, String path) {
        return send(HttpMethod.GET, host, path, MultiMap.caseInsensitiveMultiMap(), null);
    }

    Reply get(String host, String path, MultiMap headers) {
        return send(HttpMethod.GET, host, path, headers, null);
    }

    Reply post(String host, String path, String body) {
        return send(HttpMethod.POST, host, path, MultiMap.caseInsensitiveMultiMap(), body);
    }

    /** POSTs {@code body} the way curl sends a large upload: the body only after a 100 Continue. */
    Reply postExpectingContinue(String host, String path, String body) {
        RequestOptions options = new RequestOptions()
                .setServer(SocketAddress.inetSocketAddress(router.port(), "127.0.0.1"))
                .setHost(host)
                .setPort(router.port())
                .setMethod(HttpMethod.POST)
                .setURI(path);
        return Futures.await(client.request(options).compose(request -> {
            request.putHeader("Expect", "100-continue").putHeader("Content-Length", Integer.toString(Buffer.buffer(body).length()));
            request.continueHandler(nothing -> request.end(body));
            // Asks for the reply before the head goes out: see readReply.
            Future<Reply> reply = readReply(request.response());
            return request.sendHead().compose(sent -> reply);
        }));
    }

    /** Sends {@code count} GETs one after the other. */
    List<Reply> getTimes(int count, String host, String path) {
        List<Reply> replies = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            replies.add(get(host, path));
        }
        return replies;
    }

    private Reply send(HttpMethod method, String host, String path, MultiMap headers, String body) {
        RequestOptions options = new RequestOptions()
                .setServer(SocketAddress.inetSocketAddress(router.port(), "127.0.0.1"))
                .setHost(host)
                .setPort(router.port())
                .setMethod(method)
                .setURI(path)
                .setHeaders(headers);
        return Futures.await(client.request(options)
                .compose(request -> readReply(body == null ? request.send() : request.send(Buffer.buffer(body)))));
    }

    /**
     * The reply to {@code response}, with its body. Call it on the event loop, in the same callback that
     * sends the request, never on a chain built from the test thread: Vert.x hands the response over
     * when its head arrives and its body right after, so {@code body()} must be asked for by then.
     * Attached from the test thread, the step that asks for it can come after the whole response was
     * read (the test thread descheduled for a moment, as on a busy CPU), and that body never completes.
     */
    private static Future<Reply> readReply(Future<HttpClientResponse> response) {
        return response.compose(head -> head.body()
                .map(content -> new Reply(head.statusCode(), head.headers(), content.toString())));
    }

    /** Opens a WebSocket through the router, sends {@code text} and returns the first message back. */
    String webSocketEcho(String host, String text) {
        // The WebSocket client connects to its Host, so name the app in the header instead.
        WebSocketConnectOptions options = new WebSocketConnectOptions()
                .setHost("127.0.0.1")
                .setPort(router.port())
                .setURI("/socket")
                .addHeader("Host", host + ":" + router.port());
        WebSocket socket = Futures.await(webSockets.connect(options));
        io.vertx.core.Promise<String> answer = io.vertx.core.Promise.promise();
        socket.textMessageHandler(answer::tryComplete);
        socket.writeTextMessage(text);
        String reply = Futures.await(answer.future());
        socket.close();
        return reply;
    }

    /** The status with which the router refuses a WebSocket upgrade. */
    int webSocketRefusal(String host) {
        WebSocketConnectOptions options = new WebSocketConnectOptions()
                .setHost("127.0.0.1")
                .setPort(router.port())
                .setURI("/socket")
                .addHeader("Host", host + ":" + router.port());
        Throwable failure = Futures.await(webSockets.connect(options).map(socket -> (Throwable) null).otherwise(cause -> cause));
        if (failure instanceof UpgradeRejectedException rejected) {
            return rejected.getStatus();
        }
        throw new AssertionError("expected the upgrade to be refused, got " + failure);
    }

    /** Stops the ZooKeeper server and waits until the router's client has noticed. */
    void stopZooKeeper() {
        zooKeeper.close();
        zooKeeperStopped = true;
        await().atMost(Duration.ofSeconds(15)).until(() -> !routerCurator.getZookeeperClient().isConnected());
    }

    @Override
    public void close() {
        if (router != null) {
            router.close();
        }
        routerCurator.close();
        curator.close();
        if (!zooKeeperStopped) {
            zooKeeper.close();
        }
        Futures.await(vertx.close());
    }
}
