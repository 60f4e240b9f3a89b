package dev.slipway.router.metrics;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;

/**
 * The router's admin listener: {@code GET /metrics} answers {@link RouterMetrics#scrape()} in
 * Prometheus's text format; anything else 404 (a wrong method 405). It listens apart from the apps'
 * traffic, on loopback unless told otherwise: the metrics name every app. The text is made on a
 * worker thread, never on the event loop.
 */
public final class MetricsListener {
    private final HttpServer server;

    private MetricsListener(HttpServer server) {
        this.server = server;
    }

    /** Listens on {@code host}:{@code port} (0 picks a free port). */
    public static Future<MetricsListener> start(Vertx vertx, RouterMetrics metrics, String host, int port) {
        HttpServer server = vertx.createHttpServer(new HttpServerOptions().setHost(host).setPort(port)
                .setIdleTimeout(60));
        return server.requestHandler(request -> handle(vertx, metrics, request))
                .listen()
                .map(MetricsListener::new)
                .recover(failure -> Future.failedFuture(new IllegalStateException(
                        "router metrics could not listen on " + host + ":" + port + ": " + failure.getMessage(), failure)));
    }

    private static void handle(Vertx vertx, RouterMetrics metrics, HttpServerRequest request) {
        if (!request.path().equals("/metrics")) {
            request.response().setStatusCode(404).putHeader(HttpHeaders.CONTENT_TYPE, "text/plain; charset=utf-8")
                    .end("Not found: the router's metrics are at /metrics\n");
            return;
        }
        if (request.method() != HttpMethod.GET && request.method() != HttpMethod.HEAD) {
            request.response().setStatusCode(405).putHeader(HttpHeaders.ALLOW, "GET, HEAD").end();
            return;
        }
        vertx.executeBlocking(metrics::scrape, false).onComplete(scraped -> {
            if (scraped.failed()) {
                request.response().setStatusCode(500).end();
                return;
            }
            request.response().putHeader(HttpHeaders.CONTENT_TYPE, RouterMetrics.contentType()).end(scraped.result());
        });
    }

    /** The port it listens on (the one picked when asked for 0). */
    public int port() {
        return server.actualPort();
    }

    /** Stops listening. */
    public Future<Void> close() {
        return server.close();
    }
}
