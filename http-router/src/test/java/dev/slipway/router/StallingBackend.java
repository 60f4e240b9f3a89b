package dev.slipway.router;

import dev.slipway.zk.Route;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * An app instance on a plain socket that starts its answer and then stops sending: a 200 head
 * announcing 100 bytes, 10 of them, then nothing (the connection stays open until the other side closes it).
 */
final class StallingBackend implements AutoCloseable {
    static final String HEAD = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 100\r\n\r\n";
    static final String START = "0123456789";

    private final ServerSocket server;
    private volatile Socket accepted;
    private volatile boolean closedByPeer;

    StallingBackend() {
        try {
            server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Thread acceptor = new Thread(this::serve, "stalling-backend");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    Route.Endpoint endpoint(String name) {
        return new Route.Endpoint("127.0.0.1", server.getLocalPort(), name, "task-" + name);
    }

    /** Whether the router closed the connection it had stalled on. */
    boolean closedByPeer() {
        return closedByPeer;
    }

    private void serve() {
        try {
            Socket socket = server.accept();
            accepted = socket;
            InputStream in = socket.getInputStream();
            // Reads the head (a GET without a body), answers the start, then waits for the end of the stream.
            StringBuilder head = new StringBuilder();
            while (!head.toString().endsWith("\r\n\r\n")) {
                int b = in.read();
                if (b < 0) {
                    return;
                }
                head.append((char) b);
            }
            socket.getOutputStream().write((HEAD + START).getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            while (in.read() >= 0) {
                // nothing more is expected
            }
            closedByPeer = true;
        } catch (IOException closed) {
            closedByPeer = true;
        }
    }

    @Override
    public void close() {
        try (ServerSocket listening = server; Socket open = accepted) {
            // both closed on leaving
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
