package dev.slipway.router;

import dev.slipway.zk.Route;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A real HTTP server on 127.0.0.1 standing in for one instance of an app; it records what it receives. */
final class AppInstance {
    /** One request as the app saw it. */
    record Received(String method, String uri, MultiMap headers, String body) {
        String header(String name) {
            return headers.get(name);
        }
    }

    private final String name;
    private final HttpServer server;
    private final List<Received> received = new CopyOnWriteArrayList<>();

    private AppInstance(String name, HttpServer server) {
        this.name = name;
        this.server = server;
    }

    /** Answers 200 with its name, or with the request body when there is one. */
    static AppInstance answering(Vertx vertx, String name) {
        return start(vertx, name, Behaviour.ANSWER);
    }

    /** Records requests but never answers them. */
    static AppInstance silent(Vertx vertx, String name) {
        return start(vertx, name, Behaviour.SILENT);
    }

    /** Records requests and closes the connection instead of answering, like a crashing process. */
    static AppInstance hangingUp(Vertx vertx, String name) {
        return start(vertx, name, Behaviour.HANG_UP);
    }

    /** Records requests and answers each {@code delayMillis} after it arrived. */
    static AppInstance slow(Vertx vertx, String name, long delayMillis) {
        return start(vertx, name, Behaviour.SLOW, delayMillis);
    }

    private enum Behaviour { ANSWER, SILENT, HANG_UP, SLOW }

    private static AppInstance start(Vertx vertx, String name, Behaviour behaviour) {
        return start(vertx, name, behaviour, 0);
    }

    private static AppInstance start(Vertx vertx, String name, Behaviour behaviour, long delayMillis) {
        HttpServer server = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0));
        AppInstance instance = new AppInstance(name, server);
        server.requestHandler(request -> instance.handle(vertx, request, behaviour, delayMillis));
        server.webSocketHandler(socket -> socket.textMessageHandler(text -> socket.writeTextMessage(name + ":" + text)));
        Futures.await(server.listen());
        return instance;
    }

    private void handle(Vertx vertx, HttpServerRequest request, Behaviour behaviour, long delayMillis) {
        MultiMap headers = MultiMap.caseInsensitiveMultiMap().addAll(request.headers());
        request.body().onSuccess(body -> {
            received.add(new Received(request.method().name(), request.uri(), headers, body.toString()));
            switch (behaviour) {
                case ANSWER -> request.response()
                        .putHeader("Content-Type", "text/plain")
                        .end(body.length() > 0 ? body.toString() : name);
                case HANG_UP -> request.connection().close();
                case SILENT -> { }
                case SLOW -> vertx.setTimer(delayMillis, later -> request.response()
                        .putHeader("Content-Type", "text/plain")
                        .end(name));
            }
        });
    }

    String name() {
        return name;
    }

    int port() {
        return server.actualPort();
    }

    Route.Endpoint endpoint() {
        return new Route.Endpoint("127.0.0.1", port(), name, "task-" + name);
    }

    List<Received> received() {
        return List.copyOf(received);
    }

    Received lastReceived() {
        return received.get(received.size() - 1);
    }
}
