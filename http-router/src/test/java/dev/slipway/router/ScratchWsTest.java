package dev.slipway.router;

import io.vertx.core.Vertx;
import io.vertx.core.http.*;
import org.junit.jupiter.api.Test;

class ScratchWsTest {
    @Test
    void show() {
        Vertx vertx = Vertx.vertx();
        HttpServer server = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0));
        server.requestHandler(req -> { System.out.println("SERVER GOT " + req.headers().entries() + " authority=" + req.authority() + " canUpgrade=" + req.canUpgradeToWebSocket()); req.response().setStatusCode(400).end(); });
        Futures.await(server.listen());
        WebSocketConnectOptions options = new WebSocketConnectOptions().setHost("127.0.0.1").setPort(server.actualPort()).setURI("/socket").addHeader("Host", "chat.localhost:1234");
        try { Futures.await(vertx.createWebSocketClient().connect(options)); } catch (Throwable t) { System.out.println("CLIENT " + t); }
        Futures.await(vertx.close());
    }
}
