package dev.slipway.router;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** A client on a plain socket: sends exactly the bytes a test writes and reads what comes back. */
final class RawClient implements AutoCloseable {
    /** What came back, and whether the router closed the connection after it. */
    record Answer(String text, boolean closed) {
        String statusLine() {
            int end = text.indexOf("\r\n");
            return end < 0 ? text : text.substring(0, end);
        }
    }

    private final Socket socket;
    private final ByteArrayOutputStream received = new ByteArrayOutputStream();
    private boolean closed;

    RawClient(int port) {
        try {
            socket = new Socket(InetAddress.getLoopbackAddress(), port);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A client on a socket already connected (a TLS one, say). */
    RawClient(Socket connected) {
        socket = connected;
    }

    /** Sends {@code request} and reads until the router closes the connection or 5 s pass. */
    static Answer exchange(int port, String request) {
        try (RawClient client = new RawClient(port)) {
            client.send(request);
            return client.readUntilClosed(Duration.ofSeconds(5));
        }
    }

    RawClient send(String bytes) {
        try {
            socket.getOutputStream().write(bytes.getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    /** Reads until the connection closes or {@code limit} passes without it closing. */
    Answer readUntilClosed(Duration limit) {
        long deadline = System.nanoTime() + limit.toNanos();
        try {
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[8192];
            while (!closed) {
                long left = (deadline - System.nanoTime()) / 1_000_000;
                if (left <= 0) {
                    break;
                }
                socket.setSoTimeout((int) left);
                try {
                    int n = in.read(buffer);
                    if (n < 0) {
                        closed = true;
                    } else {
                        received.write(buffer, 0, n);
                    }
                } catch (SocketTimeoutException stillOpen) {
                    break;
                } catch (IOException reset) {
                    closed = true;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Answer(received.toString(StandardCharsets.ISO_8859_1), closed);
    }

    /** Reads until {@code text} has arrived (or the connection closed, or 5 s passed). */
    String readUntil(String text) {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        try {
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[8192];
            while (!received.toString(StandardCharsets.ISO_8859_1).contains(text) && System.nanoTime() < deadline) {
                socket.setSoTimeout(200);
                try {
                    int n = in.read(buffer);
                    if (n < 0) {
                        closed = true;
                        break;
                    }
                    received.write(buffer, 0, n);
                } catch (SocketTimeoutException notYet) {
                    // keep waiting
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return received.toString(StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
