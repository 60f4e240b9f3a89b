package dev.slipway.cli;

import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/** A TCP relay on loopback whose connections a test can cut, as a network failure would. */
final class TcpRelay implements AutoCloseable {
    private final NetServer server;
    private final NetClient client;
    private final Set<NetSocket> sockets = ConcurrentHashMap.newKeySet();

    private TcpRelay(Vertx vertx, int targetPort) throws Exception {
        client = vertx.createNetClient();
        server = vertx.createNetServer().connectHandler(in -> {
            in.pause();
            client.connect(targetPort, "127.0.0.1").onSuccess(out -> {
                sockets.add(in);
                sockets.add(out);
                in.closeHandler(v -> out.close());
                out.closeHandler(v -> in.close());
                in.handler(out::write);
                out.handler(in::write);
                in.resume();
            }).onFailure(e -> in.close());
        }).listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);
    }

    static TcpRelay to(Vertx vertx, int targetPort) throws Exception {
        return new TcpRelay(vertx, targetPort);
    }

    int port() {
        return server.actualPort();
    }

    /**
     * Stops relaying on every connection made so far, leaving them open: the peers see silence, as
     * behind a dead link. New connections are still relayed.
     */
    void freeze() {
        sockets.forEach(socket -> socket.handler(data -> { }));
        sockets.clear();
    }

    /** Closes every connection made through the relay so far; new ones are still relayed. */
    void cut() {
        sockets.forEach(NetSocket::close);
        sockets.clear();
    }

    @Override
    public void close() throws Exception {
        cut();
        server.close().await(10, TimeUnit.SECONDS);
        client.close().await(10, TimeUnit.SECONDS);
    }
}
