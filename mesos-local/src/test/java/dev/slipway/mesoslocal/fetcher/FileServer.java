package dev.slipway.mesoslocal.fetcher;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback HTTP server of a directory's files, answering GET and HEAD (with the file's
 * {@code Content-Length}) as file servers do, that counts the requests it gets and can be told to
 * fail or hold downloads.
 */
public final class FileServer implements AutoCloseable {
    private final Vertx vertx;
    private final HttpServer server;
    private final Path root;
    private final Map<String, AtomicInteger> requests = new ConcurrentHashMap<>();
    private final AtomicInteger failures = new AtomicInteger();
    private volatile CompletableFuture<Void> gate = CompletableFuture.completedFuture(null);
    private volatile boolean lengths = true;

    private FileServer(Vertx vertx, Path root) throws Exception {
        this.vertx = vertx;
        this.root = root.toAbsolutePath().normalize();
        this.server = vertx.createHttpServer().requestHandler(this::handle).listen(0, "127.0.0.1")
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    /** Serves the files under {@code root}, by their path relative to it. */
    public static FileServer serving(Path root) throws Exception {
        return new FileServer(Vertx.vertx(), root);
    }

    /** The URL of {@code file} (a path relative to the root). */
    public String url(String file) {
        return "http://127.0.0.1:" + server.actualPort() + "/" + file;
    }

    /** GET requests for {@code file} so far, answered or not. */
    public int gets(String file) {
        return count(HttpMethod.GET, file);
    }

    public int heads(String file) {
        return count(HttpMethod.HEAD, file);
    }

    /** The next {@code count} GETs are answered 500. */
    public void failNextGets(int count) {
        failures.set(count);
    }

    /** GETs are answered only once {@link #releaseGets()} is called. */
    public void holdGets() {
        gate = new CompletableFuture<>();
    }

    public void releaseGets() {
        gate.complete(null);
    }

    /** Answers without {@code Content-Length} from now on (a chunked body; HEAD says no length). */
    public void withoutContentLength() {
        lengths = false;
    }

    private int count(HttpMethod method, String file) {
        AtomicInteger count = requests.get(method + " /" + file);
        return count == null ? 0 : count.get();
    }

    private void handle(HttpServerRequest request) {
        requests.computeIfAbsent(request.method() + " " + request.path(), k -> new AtomicInteger()).incrementAndGet();
        Path file = root.resolve(request.path().substring(1)).normalize();
        if (!file.startsWith(root) || !Files.isRegularFile(file)) {
            request.response().setStatusCode(404).end("no such file");
            return;
        }
        if (request.method() == HttpMethod.HEAD) {
            if (lengths) {
                request.response().putHeader("Content-Length", Long.toString(size(file)));
            }
            request.response().end();
            return;
        }
        Future.fromCompletionStage(gate, vertx.getOrCreateContext()).onComplete(released -> {
            if (failures.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                request.response().setStatusCode(500).end("failing on purpose");
            } else if (lengths) {
                request.response().sendFile(file.toString());
            } else {
                request.response().setChunked(true).end(Buffer.buffer(read(file)));
            }
        });
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() throws Exception {
        gate.complete(null);
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
}
