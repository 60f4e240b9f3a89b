package dev.slipway.router;

import dev.slipway.zk.Route;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An app instance on 127.0.0.1 written on plain sockets: it records every byte it receives, parses
 * HTTP/1.1 requests (Content-Length and chunked bodies) and answers each with 200 and the request's
 * body (or "ok"). What the router sends it is exactly what {@link #bytes()} says.
 */
final class RawBackend implements AutoCloseable {
    /** One request as the backend parsed it; header names in lower case. */
    record Request(String method, String target, Map<String, String> headers, String body) {
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    private final String name;
    private final ServerSocket server;
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final AtomicInteger connections = new AtomicInteger();

    private final long delayMillis;
    /** While set and closed, every answer waits for it ({@link #hold()}, {@link #release()}). */
    private volatile CountDownLatch gate;

    RawBackend(String name) {
        this(name, java.time.Duration.ZERO);
    }

    /** A backend that waits {@code delay} before each answer, as a slow app. */
    RawBackend(String name, java.time.Duration delay) {
        this.name = name;
        this.delayMillis = delay.toMillis();
        try {
            // A router opens up to 64 connections per event loop at once (RequestPhaseEventsTest makes it).
            server = new ServerSocket(0, 512, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Thread acceptor = new Thread(this::accept, "raw-backend-" + name);
        acceptor.setDaemon(true);
        acceptor.start();
    }

    Route.Endpoint endpoint() {
        return new Route.Endpoint("127.0.0.1", server.getLocalPort(), name, "task-" + name);
    }

    /** Every byte received so far, on all connections, as ISO-8859-1 text. */
    /** Holds every answer (the requests are recorded) until {@link #release()}. */
    void hold() {
        gate = new CountDownLatch(1);
    }

    void release() {
        gate.countDown();
    }

    String bytes() {
        synchronized (bytes) {
            return bytes.toString(StandardCharsets.ISO_8859_1);
        }
    }

    List<Request> requests() {
        return List.copyOf(requests);
    }

    int connections() {
        return connections.get();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                connections.incrementAndGet();
                sockets.add(socket);
                Thread reader = new Thread(() -> serve(socket), "raw-backend-" + name + "-conn");
                reader.setDaemon(true);
                reader.start();
            } catch (IOException closed) {
                return;
            }
        }
    }

    private void serve(Socket socket) {
        try (socket) {
            InputStream in = new Recording(socket.getInputStream());
            OutputStream out = socket.getOutputStream();
            while (true) {
                String requestLine = line(in);
                if (requestLine == null) {
                    return;
                }
                if (requestLine.isEmpty()) {
                    continue;
                }
                Map<String, String> headers = new HashMap<>();
                for (String header = line(in); header != null && !header.isEmpty(); header = line(in)) {
                    int colon = header.indexOf(':');
                    headers.put(header.substring(0, colon).trim().toLowerCase(Locale.ROOT), header.substring(colon + 1).trim());
                }
                ByteArrayOutputStream body = new ByteArrayOutputStream();
                if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
                    while (true) {
                        String size = line(in);
                        int semicolon = size.indexOf(';');
                        long length = Long.parseLong((semicolon < 0 ? size : size.substring(0, semicolon)).trim(), 16);
                        if (length == 0) {
                            while (!line(in).isEmpty()) {
                                // trailers
                            }
                            break;
                        }
                        body.write(in.readNBytes((int) length));
                        line(in);
                    }
                } else if (headers.containsKey("content-length")) {
                    int length = Integer.parseInt(headers.get("content-length"));
                    body.write(in.readNBytes(length));
                    if (body.size() < length) {
                        // Cut off before its body ended: the app never gets it as a request.
                        return;
                    }
                }
                String[] parts = requestLine.split(" ");
                String text = body.toString(StandardCharsets.ISO_8859_1);
                requests.add(new Request(parts[0], parts[1], headers, text));
                if (delayMillis > 0) {
                    Thread.sleep(delayMillis);
                }
                CountDownLatch held = gate;
                if (held != null) {
                    held.await();
                }
                byte[] answer = (text.isEmpty() ? "ok" : text).getBytes(StandardCharsets.ISO_8859_1);
                out.write(("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: " + answer.length + "\r\n\r\n")
                        .getBytes(StandardCharsets.ISO_8859_1));
                out.write(answer);
                out.flush();
            }
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        } catch (IOException | RuntimeException ended) {
            // The router closed or reset the connection, or sent what this parser does not read.
        }
    }

    /** A line without its CRLF; null at the end of the stream. */
    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != -1) {
            if (b == '\n') {
                String text = line.toString(StandardCharsets.ISO_8859_1);
                return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
            }
            line.write(b);
        }
        return null;
    }

    @Override
    public void close() {
        try {
            server.close();
            for (Socket socket : sockets) {
                socket.close();
            }
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    /** Copies every byte read into {@link #bytes}. */
    private final class Recording extends InputStream {
        private final InputStream in;

        Recording(InputStream in) {
            this.in = in;
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b != -1) {
                synchronized (bytes) {
                    bytes.write(b);
                }
            }
            return b;
        }
    }

    static List<String> targets(List<Request> requests) {
        List<String> targets = new ArrayList<>();
        requests.forEach(request -> targets.add(request.target()));
        return targets;
    }
}
