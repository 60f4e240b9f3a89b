package dev.slipway.framework.api;

import dev.slipway.zk.Unavailable;
import dev.slipway.zk.ZkConnection;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;

/**
 * Keeps API calls from waiting on a ZooKeeper that does not answer. In front of the routes that
 * read or write ZooKeeper, it answers 503 at once while the connection is down; the blocking work
 * of a call let through is watched ({@link #blocking}), and when the connection drops while it
 * runs the call is answered 503 within {@link #CHECK_MILLIS} ms and its worker thread interrupted,
 * instead of waiting for Curator's retries (a minute).
 */
final class ZooKeeperGate implements Handler<RoutingContext> {
    static final long CHECK_MILLIS = 250;
    private static final String KEY = ZooKeeperGate.class.getName();
    /**
     * Served while ZooKeeper is away: health and readiness, the OpenAPI document, what agents fetch, and logs (kept in memory; an app
     * whose log is not here yet is looked up in ZooKeeper, watched as any call is).
     */
    private static final Pattern WITHOUT_ZOOKEEPER = Pattern.compile(
            Health.PATHS + "|/openapi\\.json|/slugs/.*|/executor/.*|/apps/[^/]+/(log-lines|logs)/?");

    private final ZkConnection connection;

    ZooKeeperGate(ZkConnection connection) {
        this.connection = connection;
    }

    boolean connected() {
        return connection.connected();
    }

    @Override
    public void handle(RoutingContext ctx) {
        if (!connection.connected() && !WITHOUT_ZOOKEEPER.matcher(ctx.normalizedPath()).matches()) {
            Uploads.refuseEarly(ctx, Problems.of(unreachable()));
            return;
        }
        ctx.put(KEY, this);
        ctx.next();
    }

    /**
     * Runs {@code work} on a worker thread; when the call went through this gate, the answer fails
     * with {@link Unavailable} as soon as the ZooKeeper connection is seen down while it runs.
     */
    static <T> Future<T> blocking(RoutingContext ctx, Callable<T> work) {
        ZooKeeperGate gate = ctx.get(KEY);
        return gate == null ? ctx.vertx().executeBlocking(work, false) : gate.watched(ctx.vertx(), work);
    }

    private <T> Future<T> watched(Vertx vertx, Callable<T> work) {
        Promise<T> answer = Promise.promise();
        Interruptible<T> task = new Interruptible<>(work);
        long timer = vertx.setPeriodic(CHECK_MILLIS, id -> {
            if (!connection.connected()) {
                vertx.cancelTimer(id);
                task.abandon();
                answer.tryFail(unreachable());
            }
        });
        vertx.executeBlocking(task, false).onComplete(result -> {
            vertx.cancelTimer(timer);
            if (result.succeeded()) {
                answer.tryComplete(result.result());
            } else {
                answer.tryFail(result.cause());
            }
        });
        return answer.future();
    }

    private static Unavailable unreachable() {
        return new Unavailable("ZooKeeper is unreachable: the API answers again as soon as it is back");
    }

    /** Work whose thread can be interrupted while, and only while, it runs it. */
    private static final class Interruptible<T> implements Callable<T> {
        private final Callable<T> work;
        private Thread thread;
        private boolean abandoned;

        Interruptible(Callable<T> work) {
            this.work = work;
        }

        @Override
        public T call() throws Exception {
            synchronized (this) {
                if (abandoned) {
                    throw unreachable();
                }
                thread = Thread.currentThread();
            }
            try {
                return work.call();
            } finally {
                synchronized (this) {
                    thread = null;
                    // The worker thread goes back to its pool: no interrupt of ours may stay set.
                    Thread.interrupted();
                }
            }
        }

        synchronized void abandon() {
            abandoned = true;
            if (thread != null) {
                thread.interrupt();
            }
        }
    }
}
