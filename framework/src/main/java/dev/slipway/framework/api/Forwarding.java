package dev.slipway.framework.api;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.ext.web.RoutingContext;
import java.net.URI;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A follower's API, as Marathon's: every call but {@code /health}, {@code /ready} and
 * {@code /openapi.json} goes to the leader as it came
 * (method, path and query, headers, body streamed both ways), with {@value #FORWARDED_BY} naming
 * this instance and {@code Host} naming the leader, whose own guard checks it again. A call
 * forwarded once is never forwarded again (leadership moving while it travels would make a loop);
 * with no leader to reach, the answer is 503 problem+json, and the client retries.
 */
final class Forwarding implements Handler<RoutingContext> {
    static final String FORWARDED_BY = "X-Slipway-Forwarded-By";
    private static final Logger LOG = LoggerFactory.getLogger(Forwarding.class);
    /** Headers of one connection, not of the call (RFC 9110 7.6.1), and Host, which names the leader. */
    private static final Set<String> HOP_BY_HOP = Set.of("connection", "keep-alive", "proxy-authenticate",
            "proxy-authorization", "proxy-connection", "te", "trailer", "transfer-encoding", "upgrade", "host");

    /** Answered by every instance itself: its own health and readiness, and the API's description. */
    private static final Pattern LOCAL = Pattern.compile(Health.PATHS + "|/openapi\\.json");
    /** Streams held open at once through one follower; past that, more wait for one to end. */
    static final int MAX_STREAMS = 1_000;

    private final Vertx vertx;
    private final Standing standing;
    private final HttpClient calls;
    private final HttpClient streams;

    Forwarding(Vertx vertx, Standing standing) {
        this.vertx = vertx;
        this.standing = standing;
        // No request timeout: streams (events, build output, logs --tail) stay open as long as the client
        // wants. Each holds its connection all that time, so streams get a pool of their own: with one
        // pool (5 connections by default), five clients of /events would stall every other call.
        HttpClientOptions options = new HttpClientOptions().setConnectTimeout(5_000);
        this.calls = vertx.createHttpClient(options, new PoolOptions().setHttp1MaxSize(32));
        this.streams = vertx.createHttpClient(options, new PoolOptions().setHttp1MaxSize(MAX_STREAMS));
    }

    /** Whether the call may stay open for long: an event stream, a log tail, a build's output, any SSE. */
    static boolean isStream(HttpServerRequest request) {
        String path = request.path();
        String accept = request.getHeader("Accept");
        return "/events".equals(path) || path.endsWith("/output") || "true".equals(request.getParam("tail"))
                || (accept != null && accept.toLowerCase(Locale.ROOT).contains("text/event-stream"));
    }

    @Override
    public void handle(RoutingContext ctx) {
        if (standing.leads() || LOCAL.matcher(ctx.normalizedPath()).matches()) {
            ctx.next();
            return;
        }
        HttpServerRequest request = ctx.request();
        String forwardedBy = request.getHeader(FORWARDED_BY);
        if (forwardedBy != null) {
            unavailable(ctx, "this framework instance (" + standing.self() + ") was forwarded this call as the leader, "
                    + "but it no longer leads: retry in a few seconds");
            return;
        }
        // The body waits while ZooKeeper is asked who leads.
        request.pause();
        vertx.executeBlocking(standing::leader, false).onComplete(found -> {
            if (found.failed()) {
                unavailable(ctx, "this framework instance follows, and could not read which one leads: "
                        + found.cause().getMessage());
            } else if (found.result().isEmpty() || found.result().get().equals(standing.self())) {
                unavailable(ctx, "no framework instance leads at the moment (an election is under way): retry in a "
                        + "few seconds");
            } else {
                forward(ctx, found.result().get());
            }
        });
    }

    private void forward(RoutingContext ctx, URI leader) {
        HttpServerRequest request = ctx.request();
        boolean https = "https".equalsIgnoreCase(leader.getScheme());
        int port = leader.getPort() != -1 ? leader.getPort() : https ? 443 : 80;
        RequestOptions options = new RequestOptions().setMethod(request.method()).setHost(leader.getHost())
                .setPort(port).setSsl(https).setURI(request.uri());
        (isStream(request) ? streams : calls).request(options).compose(out -> {
            copyHeaders(request.headers(), out.headers());
            out.putHeader("Host", leader.getPort() == -1 ? leader.getHost() : leader.getHost() + ":" + port);
            out.putHeader(FORWARDED_BY, standing.self().toString());
            String remote = request.remoteAddress() == null ? null : request.remoteAddress().hostAddress();
            if (remote != null) {
                String before = request.getHeader("X-Forwarded-For");
                out.putHeader("X-Forwarded-For", before == null ? remote : before + ", " + remote);
            }
            return send(request, out);
        }).onSuccess(response -> relay(ctx, response)).onFailure(failure -> {
            LOG.info("could not forward {} {} to the leader at {}: {}", request.method(), LogSafe.of(request.path()), leader,
                    failure.getMessage());
            unavailable(ctx, "this framework instance follows, and the leader at " + leader + " did not answer ("
                    + failure.getMessage() + "): retry in a few seconds");
        });
    }

    /** The call's body, streamed as it arrives; a call without one is sent without one. */
    private static Future<HttpClientResponse> send(HttpServerRequest request, HttpClientRequest out) {
        if (request.getHeader("Content-Length") == null && request.getHeader("Transfer-Encoding") == null) {
            request.resume();
            return out.send();
        }
        if (request.getHeader("Content-Length") == null) {
            out.setChunked(true);
        }
        return out.send(request);
    }

    private static void relay(RoutingContext ctx, HttpClientResponse response) {
        HttpServerResponse answer = ctx.response();
        if (answer.closed()) {
            response.request().reset();
            return;
        }
        answer.setStatusCode(response.statusCode());
        copyHeaders(response.headers(), answer.headers());
        if (response.getHeader("Content-Length") == null) {
            answer.setChunked(true);
        }
        // A client that leaves a stream (logs --tail) ends the leader's side of it too.
        answer.closeHandler(v -> response.request().reset());
        response.pipeTo(answer);
    }

    private static void copyHeaders(MultiMap from, MultiMap to) {
        from.forEach((name, value) -> {
            if (!HOP_BY_HOP.contains(name.toLowerCase(Locale.ROOT))) {
                to.add(name, value);
            }
        });
    }

    private static void unavailable(RoutingContext ctx, String detail) {
        ctx.response().putHeader("Retry-After", "2");
        Uploads.refuseEarly(ctx, Problems.problem(503, "no-leader", "No leader", detail));
    }

    /** Closes the connections to the leader. */
    Future<Void> close() {
        return Future.join(calls.close(), streams.close()).mapEmpty();
    }
}
