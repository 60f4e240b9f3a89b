package dev.slipway.router.proxy;

import dev.slipway.router.balance.Backend;
import dev.slipway.router.balance.Balance;
import dev.slipway.zk.Route.Endpoint;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.vertx.core.AsyncResult;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.HostAndPort;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.SocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One request on its way to an app instance and its answer on the way back, piped directly between
 * Vert.x's server request and client request: no interceptor chain, no copy of the headers into
 * maps of its own, one object per request.
 *
 * <p>To the app go the client's headers less the hop-by-hop ones (those RFC 9110 §7.6.1 names and
 * those the client's {@code Connection} names), with Heroku's (see {@link ForwardedHeaders}); a
 * WebSocket upgrade goes on with its {@code Upgrade}, and once the app switches protocols the two
 * connections are joined. Back to the client go the app's status, headers (hop-by-hop removed) and
 * body, with X-Request-Id and Via.
 *
 * <p>Where that fails it tries another endpoint where that is safe, and turns what still fails into
 * Heroku's answers: H21 (every endpoint tried refused the connection) or H19 (did not accept it in
 * time), H12 (no answer started within the request timeout), H13 (the connection closed before an
 * answer). Once the answer has started it keeps Heroku's rolling idle window (H15). An endpoint that
 * refuses a connection or does not accept one in time is quarantined and the request goes to
 * another, as long as one is left: nothing was sent. A request that was sent is tried again (once)
 * only when it is idempotent and has no body, so that it can be sent again as it was; one that timed
 * out never is: the app may still be working on it. Used on the request's event loop only.
 */
final class Forward extends Deadlines.Watched {
    private static final Logger LOG = LoggerFactory.getLogger(Forward.class);

    /** What a request to an app needs besides itself; one per event loop. */
    record Settings(HttpClient client, Balance balance, Duration connectTimeout, Duration requestTimeout,
                    Duration idleTimeout, Deadlines deadlines) {
    }

    private final HttpServerRequest request;
    private final Backend backend;
    private final Settings settings;
    private final Exchange exchange;
    private final Trip trip;
    private final HostAndPort authority;
    private final String uri;
    private final String forwardedFor;
    private final boolean hasBody;
    private final boolean webSocket;
    private final Retries retries;
    /** The attempt in flight, or null: a callback of an attempt that was given up finds another here and stops. */
    private HttpClientRequest out;
    private HttpClientResponse in;

    /**
     * @param authority the authority the request was routed by, which the app gets as Host
     * @param uri       the target to send (origin form)
     */
    Forward(HttpServerRequest request, Backend backend, Settings settings, Exchange exchange, Trip trip,
            HostAndPort authority, String uri) {
        this.request = request;
        this.backend = backend;
        this.settings = settings;
        this.exchange = exchange;
        this.trip = trip;
        this.authority = authority;
        this.uri = uri;
        this.forwardedFor = ForwardedHeaders.forwardedFor(request);
        MultiMap headers = request.headers();
        String length = headers.get(HttpHeaders.CONTENT_LENGTH);
        this.hasBody = (length != null && !length.trim().equals("0")) || headers.contains(HttpHeaders.TRANSFER_ENCODING);
        this.webSocket = request.method() == HttpMethod.GET && headers.contains(HttpHeaders.UPGRADE, HttpHeaders.WEBSOCKET, true)
                && headers.contains(HttpHeaders.CONNECTION, HttpHeaders.UPGRADE, true);
        this.retries = new Retries(backend, settings.balance(), exchange.requestId(), request.method().name(), hasBody,
                webSocket);
    }

    /** Sends the request to the endpoint the balancer picks (the body waits until a connection is there). */
    void start() {
        trip.forwardedFor(forwardedFor);
        trip.onClientGone(this::clientGone);
        if (hasBody || webSocket) {
            request.pause();
        }
        attempt();
    }

    private void attempt() {
        Endpoint endpoint = retries.nextEndpoint();
        if (endpoint == null) {
            failed(null, new IllegalStateException(backend.app() + " has no endpoint left to try"));
            return;
        }
        trip.attempting(endpoint);
        RequestOptions options = new RequestOptions()
                .setServer(SocketAddress.inetSocketAddress(endpoint.port(), endpoint.host()))
                .setConnectTimeout(settings.connectTimeout().toMillis())
                .setMethod(request.method())
                .setURI(uri);
        try {
            settings.client().request(options).onComplete(connected -> connected(endpoint, connected));
        } catch (RuntimeException closed) {
            // A client closed while the router stops throws rather than failing the future.
            failed(endpoint, new OriginUnreachable(backend.app(), endpoint, closed));
        }
    }

    private void connected(Endpoint endpoint, AsyncResult<HttpClientRequest> connected) {
        if (connected.failed()) {
            failed(endpoint, new OriginUnreachable(backend.app(), endpoint, connected.cause()));
            return;
        }
        HttpClientRequest sent = connected.result();
        if (trip.clientGone()) {
            sent.reset();
            failed(endpoint, new HttpClosedException("the client left"));
            return;
        }
        out = sent;
        trip.connected();
        if (authority != null) {
            sent.authority(authority);
        }
        headersToApp(sent.headers());
        // Failures also fail the response; this only keeps a closed WebSocket from being logged as an error.
        sent.exceptionHandler(failure -> LOG.debug("request to {} {} ended: {}", backend.app(), endpoint.instance(), failure.getMessage()));
        settings.deadlines().watch(this, settings.requestTimeout().toMillis());
        if (webSocket) {
            sent.connect().onComplete(answer -> answered(sent, endpoint, answer));
            return;
        }
        sent.response().onComplete(answer -> answered(sent, endpoint, answer));
        if (!hasBody) {
            sent.end();
            trip.headSent();
            return;
        }
        if (request.headers().contains(HttpHeaders.TRANSFER_ENCODING)) {
            sent.setChunked(true);
        }
        request.handler(chunk -> {
            sent.write(chunk);
            if (sent.writeQueueFull()) {
                request.pause();
                sent.drainHandler(drained -> request.resume());
            }
        });
        request.endHandler(ended -> sent.end());
        request.exceptionHandler(failure -> sent.reset(0, failure));
        request.resume();
    }

    /** The client's connection closed before the answer ended: the app's request is abandoned too. */
    private void clientGone() {
        settings.deadlines().forget(this);
        HttpClientRequest pending = out;
        if (pending != null) {
            pending.reset();
        }
    }

    /** The request timeout (no answer yet: H12) or the idle window (the answer stopped: H15) passed. */
    @Override
    void expired() {
        HttpClientRequest pending = out;
        if (pending == null) {
            return;
        }
        if (in == null) {
            // Given up before the reset's own failure arrives, which then finds no attempt in flight.
            failed(retries.latest(), new TimeoutException("no answer within " + settings.requestTimeout().toMillis() + " ms"));
            pending.reset();
            return;
        }
        LOG.debug("request {} to {}: no data for {} ms, closing", exchange.requestId(), backend.app(), settings.idleTimeout().toMillis());
        trip.failed(RouterError.H15);
        pending.connection().close();
        request.connection().close();
    }

    private void answered(HttpClientRequest sent, Endpoint endpoint, AsyncResult<HttpClientResponse> answer) {
        if (sent != out) {
            return;
        }
        if (answer.failed()) {
            failed(endpoint, answer.cause());
            return;
        }
        trip.firstByte();
        in = answer.result();
        backend.outliers().succeeded(endpoint);
        if (webSocket && in.statusCode() == 101) {
            settings.deadlines().forget(this);
            tunnel(in);
            return;
        }
        relay(in);
    }

    /** One attempt failed: another, or Heroku's answer ({@link Retries} decides which). */
    private void failed(Endpoint endpoint, Throwable failure) {
        out = null;
        settings.deadlines().forget(this);
        trip.attemptFailed();
        RouterError answer = retries.afterFailure(endpoint, failure, trip.clientGone());
        if (answer == null) {
            attempt();
            return;
        }
        reply(answer, failure);
    }

    private void reply(RouterError error, Throwable failure) {
        LOG.debug("request {} to {}: {} ({})", exchange.requestId(), backend.app(), error.description(), failure.getMessage());
        trip.failed(error);
        // Whatever of the body the app did not take is read and dropped, so that the connection goes on.
        request.handler(null);
        request.endHandler(null);
        if (!request.isEnded()) {
            // An ended HTTP/2 request refuses to be resumed (IllegalStateException): the error page would never go out.
            request.resume();
        }
        HttpServerResponse response = request.response();
        if (response.closed() || response.ended()) {
            return;
        }
        if (response.headWritten()) {
            response.reset();
            return;
        }
        response.putHeader(ForwardedHeaders.VIA_HEADER, ForwardedHeaders.VIA);
        ErrorReply.send(response, request.getHeader(HttpHeaders.ACCEPT), error, exchange);
    }

    /** The app's answer, streamed to the client under the idle window. */
    private void relay(HttpClientResponse answer) {
        HttpServerResponse response = request.response();
        int status = answer.statusCode();
        response.setStatusCode(status);
        String reason = answer.statusMessage();
        if (reason != null && !reason.equals(HttpResponseStatus.valueOf(status).reasonPhrase())) {
            response.setStatusMessage(reason);
        }
        MultiMap headers = answer.headers();
        boolean framed = headersToClient(headers, response.headers());
        boolean closeAtEnd = false;
        if (!framed && status >= 200 && status != 204 && status != 304 && request.method() != HttpMethod.HEAD) {
            if (request.version() == HttpVersion.HTTP_1_0) {
                // Without chunks, only the end of the connection can end this body for an HTTP/1.0 client.
                response.putHeader(HttpHeaders.CONNECTION, HttpHeaders.CLOSE);
                closeAtEnd = true;
            } else {
                response.setChunked(true);
            }
        }
        settings.deadlines().watch(this, settings.idleTimeout().toMillis());
        answer.handler(chunk -> {
            lastActivity = System.nanoTime();
            response.write(chunk);
            if (response.writeQueueFull()) {
                answer.pause();
                held = true;
                response.drainHandler(drained -> {
                    held = false;
                    lastActivity = System.nanoTime();
                    answer.resume();
                });
            }
        });
        boolean close = closeAtEnd;
        answer.endHandler(ended -> {
            settings.deadlines().forget(this);
            out = null;
            if (close) {
                response.end().onComplete(written -> request.connection().close());
            } else {
                response.end();
            }
        });
        answer.exceptionHandler(failure -> {
            settings.deadlines().forget(this);
            if (out == null) {
                return;
            }
            out = null;
            LOG.debug("request {} to {}: the answer broke off: {}", exchange.requestId(), backend.app(), failure.getMessage());
            // Half an answer cannot be finished: the client's connection closes too.
            response.reset();
        });
    }

    /** The app switched protocols: the two connections carry each other's bytes from now on. */
    private void tunnel(HttpClientResponse answer) {
        HttpServerResponse response = request.response();
        response.setStatusCode(101);
        response.headers().addAll(answer.headers());
        response.headers().set(RequestId.HEADER, exchange.requestId());
        response.headers().set(ForwardedHeaders.VIA_HEADER, ForwardedHeaders.via(answer.headers()));
        request.toNetSocket().onComplete(switched -> {
            NetSocket app = answer.netSocket();
            if (switched.failed()) {
                LOG.debug("request {} to {}: the upgrade could not be completed: {}", exchange.requestId(), backend.app(),
                        switched.cause().getMessage());
                app.close();
                return;
            }
            NetSocket client = switched.result();
            client.pipeTo(app).onFailure(failure -> app.close());
            app.pipeTo(client).onFailure(failure -> client.close());
            client.closeHandler(closed -> app.close());
            app.closeHandler(closed -> client.close());
        });
    }

    /** The client's headers as the app gets them: hop-by-hop ones out, Heroku's in. */
    private void headersToApp(MultiMap to) {
        MultiMap from = request.headers();
        for (Map.Entry<String, String> header : from) {
            String name = header.getKey();
            // Host: the authority the request was routed by goes instead (set on the request above).
            if (!HopByHop.isHopByHop(name) && !ForwardedHeaders.isSetByRouter(name) && !name.equalsIgnoreCase("host")) {
                to.add(name, header.getValue());
            }
        }
        HopByHop.removeNamedIn(from, to);
        if (webSocket) {
            to.set(HttpHeaders.CONNECTION, HttpHeaders.UPGRADE);
            to.set(HttpHeaders.UPGRADE, from.get(HttpHeaders.UPGRADE));
        }
        ForwardedHeaders.toApp(request, to, exchange, forwardedFor);
    }

    /** The app's headers as the client gets them; whether they frame the body (Content-Length). */
    private boolean headersToClient(MultiMap from, MultiMap to) {
        boolean framed = false;
        boolean via = false;
        for (Map.Entry<String, String> header : from) {
            String name = header.getKey();
            if (HopByHop.isHopByHop(name)) {
                continue;
            }
            if (name.equalsIgnoreCase("content-length")) {
                framed = true;
            } else if (name.equalsIgnoreCase("via")) {
                via = true;
                continue;
            }
            to.add(name, header.getValue());
        }
        HopByHop.removeNamedIn(from, to);
        to.set(RequestId.HEADER, exchange.requestId());
        to.set(ForwardedHeaders.VIA_HEADER, via ? ForwardedHeaders.via(from) : ForwardedHeaders.VIA);
        return framed;
    }
}
