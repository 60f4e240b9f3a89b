package dev.slipway.router.proxy;

import dev.slipway.router.balance.Backend;
import dev.slipway.router.balance.Balance;
import dev.slipway.router.balance.Outliers;
import dev.slipway.zk.Route.Endpoint;
import io.vertx.core.http.HttpClosedException;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A request's attempts at an app's endpoints, on either data path: which endpoint the next attempt
 * goes to, and once one failed, whether another follows or which of Heroku's errors answers. An
 * endpoint that refused a connection or did not accept one in time is quarantined and the request
 * goes to another while one is left (nothing was sent); it is H21 or H19 when none is. A request that
 * was sent goes again (once) only when it is idempotent and has no body, so that it can be sent again
 * as it was, and never after a timeout (the app may still be working on it): H12 or H13 otherwise.
 * The I/O of an attempt stays with its data path. One per request, on its event loop.
 */
final class Retries {
    private static final Logger LOG = LoggerFactory.getLogger(Retries.class);

    private final Backend backend;
    private final Balance balance;
    private final String requestId;
    /** Idempotent, without a body and no protocol switch: it can be sent again as it was. */
    private final boolean resendable;
    private final List<Endpoint> tried = new ArrayList<>(2);
    private Endpoint next;
    private boolean resent;

    /**
     * @param hasBody  whether the request has a body (it was sent as it came and cannot be again)
     * @param upgrade  whether it asks to switch protocols (a WebSocket)
     */
    Retries(Backend backend, Balance balance, String requestId, String method, boolean hasBody, boolean upgrade) {
        this.backend = backend;
        this.balance = balance;
        this.requestId = requestId;
        this.resendable = !upgrade && !hasBody && Failures.isIdempotent(method);
    }

    /** The endpoint of the next attempt, counted as tried from now on; null when none is left. */
    Endpoint nextEndpoint() {
        Endpoint chosen = next != null ? next : backend.choose(balance, tried);
        next = null;
        if (chosen != null) {
            tried.add(chosen);
        }
        return chosen;
    }

    /** The endpoint of the latest attempt. */
    Endpoint latest() {
        return tried.get(tried.size() - 1);
    }

    /**
     * An attempt at {@code endpoint} (null: none could be made) failed with {@code failure}: a failure
     * of the endpoint's counts towards its ejection (not when the client left), an unreachable one is
     * quarantined. The request's attempt must no longer count at the endpoint (its lease released), so
     * that the balance sees it gone.
     *
     * @param clientGone whether the client left, so that nobody is there to answer
     * @return the error that answers the request, or null when another attempt follows ({@link #nextEndpoint()})
     */
    RouterError afterFailure(Endpoint endpoint, Throwable failure, boolean clientGone) {
        if (endpoint != null && !clientGone && isEndpointFailure(failure)) {
            Duration ejected = backend.outliers().failed(endpoint, backend.endpoints());
            if (ejected != null) {
                LOG.warn("{} {} at {}:{} failed {} times in a row; no requests go to it for {} s",
                        backend.app(), endpoint.instance(), endpoint.host(), endpoint.port(),
                        Outliers.CONSECUTIVE_FAILURES, ejected.toSeconds());
            }
        }
        if (clientGone) {
            // Nobody to answer: the client left, which is no fault of the app's.
            return RouterError.H27;
        }
        if (failure instanceof OriginUnreachable unreachable) {
            backend.quarantine().add(unreachable.endpoint());
            if (hasAnother()) {
                LOG.debug("request {}: {}; trying another endpoint", requestId, failure.getMessage());
                return null;
            }
            return unreachable.timedOut() ? RouterError.H19 : RouterError.H21;
        }
        if (!resent && resendable && !isTimeout(failure) && hasAnother()) {
            LOG.debug("request {} to {} failed, sending it to another endpoint: {}", requestId, backend.app(),
                    failure.getMessage());
            resent = true;
            return null;
        }
        return isTimeout(failure) ? RouterError.H12 : RouterError.H13;
    }

    /** Whether an endpoint is left for another attempt: one not tried yet, neither ejected nor quarantined. */
    private boolean hasAnother() {
        if (next == null) {
            next = backend.choose(balance, tried);
        }
        return next != null;
    }

    /**
     * Refused, timed out, reset or closed before answering: the endpoint's fault, not the client's.
     * ({@link HttpClosedException} is how Vert.x's client says a connection closed; Netty's path never has it.)
     */
    private static boolean isEndpointFailure(Throwable failure) {
        return Failures.causedBy(failure, OriginUnreachable.class, TimeoutException.class, HttpClosedException.class,
                IOException.class);
    }

    private static boolean isTimeout(Throwable failure) {
        return Failures.causedBy(failure, TimeoutException.class);
    }
}
