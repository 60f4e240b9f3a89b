package dev.slipway.router;

import dev.slipway.zk.Route;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** An app instance on plain sockets that answers every request head it reads with the same bytes. */
final class ScriptedApp implements AutoCloseable {
    private final ServerSocket socket;

    ScriptedApp(String response) {
        try {
            socket = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Thread answering = new Thread(() -> answer(response), "scripted-app");
        answering.setDaemon(true);
        answering.start();
    }

    Route.Endpoint endpoint(String name) {
        return new Route.Endpoint("127.0.0.1", socket.getLocalPort(), name, "task-" + name);
    }

    private void answer(String response) {
        while (!socket.isClosed()) {
            try {
                Socket connection = socket.accept();
                Thread serving = new Thread(() -> serve(connection, response), "scripted-app-connection");
                serving.setDaemon(true);
                serving.start();
            } catch (IOException closed) {
                return;
            }
        }
    }

    /** Each connection on a thread of its own: the router keeps connections open, one per event loop. */
    private static void serve(Socket socket, String response) {
        try (Socket connection = socket) {
            InputStream in = connection.getInputStream();
            OutputStream out = connection.getOutputStream();
            int matched = 0;
            for (int b = in.read(); b >= 0; b = in.read()) {
                matched = (b == "\r\n\r\n".charAt(matched)) ? matched + 1 : (b == '\r' ? 1 : 0);
                if (matched == 4) {
                    out.write(response.getBytes(StandardCharsets.ISO_8859_1));
                    out.flush();
                    matched = 0;
                }
            }
        } catch (IOException closed) {
            // The router closed the connection.
        }
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
