package dev.slipway.executor.health;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntUnaryOperator;

/**
 * An app's HTTP server on loopback for health-check tests: answers every request with the status
 * that {@code statusOfRequest} gives for its number (1, 2, ...), or hangs until closed once
 * {@link #hang()} was called.
 */
final class AppServer implements AutoCloseable {
    private final HttpServer server;
    private final AtomicInteger requests = new AtomicInteger();
    private final List<String> seen = new CopyOnWriteArrayList<>();
    private final CountDownLatch closing = new CountDownLatch(1);
    private volatile IntUnaryOperator statusOfRequest;
    private volatile boolean hanging;

    private AppServer(IntUnaryOperator statusOfRequest) throws IOException {
        this.statusOfRequest = statusOfRequest;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/", exchange -> {
            int n = requests.incrementAndGet();
            seen.add(exchange.getRequestMethod() + " " + exchange.getRequestURI() + " Host: "
                    + exchange.getRequestHeaders().getFirst("Host"));
            if (hanging) {
                awaitClose();
            }
            byte[] body = "checked\n".getBytes();
            exchange.sendResponseHeaders(this.statusOfRequest.applyAsInt(n), body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
    }

    /** Answers {@code status} to every request until {@link #answer} says otherwise. */
    static AppServer answering(int status) throws IOException {
        return new AppServer(n -> status);
    }

    /** Answers the n-th request with {@code statuses[n - 1]}, and the last of them after that. */
    static AppServer answeringInTurn(int... statuses) throws IOException {
        return new AppServer(n -> statuses[Math.min(n, statuses.length) - 1]);
    }

    void answer(int status) {
        statusOfRequest = n -> status;
    }

    void hang() {
        hanging = true;
    }

    int port() {
        return server.getAddress().getPort();
    }

    int requests() {
        return requests.get();
    }

    /** {@code GET /health Host: localhost}, one a request. */
    List<String> seen() {
        return List.copyOf(seen);
    }

    @Override
    public void close() {
        closing.countDown();
        server.stop(0);
    }

    private void awaitClose() {
        try {
            closing.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A port nothing listens on (nothing did a moment ago). */
    static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
