package dev.slipway.framework.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.slipway.framework.deploy.OneOff;
import dev.slipway.framework.logs.AppLogs;
import dev.slipway.framework.logs.DynoEvents;
import dev.slipway.framework.logs.LogFilter;
import dev.slipway.framework.schedule.OneOffDesk;
import dev.slipway.zk.AppStore;
import dev.slipway.zk.Instance;
import dev.slipway.zk.InstanceStore;
import dev.slipway.zk.Json;
import dev.slipway.zk.NotFound;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;

/**
 * Streams a one-off dyno's output as SSE: each line it printed (stdout and stderr, as its executor
 * shipped them, the log prefix taken off) as one message, from its first line, then a last
 * {@code event: exit} whose data is {@code {"exit_code": 3, "state": "crashed", "message": "..."}}
 * once it has ended, and the response ends. {@code exit_code} is null when its end says none (it
 * was lost). A client that goes away stops nothing but the stream.
 *
 * <p>No line printed before the end is lost: the executor ships the lines of its process before it
 * reports the task's end, so the dyno's log holds every line by the time its end is stored, and
 * the lines handed over before that are sent before the exit message.
 */
final class RunOutput implements AppLogs.Follower {
    static final long POLL_MILLIS = 200;
    private static final Pattern PREFIX = Pattern.compile("^\\S+ [A-Za-z0-9_-]+\\[[^\\]\\s]+\\]: ");

    /** The exit message's data. */
    record Exit(Integer exitCode, String state, String message) {
    }

    private final Vertx vertx;
    private final Context context;
    private final HttpServerResponse response;
    private final Queue<String> inbox = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean scheduled = new AtomicBoolean();
    // Owned by the event loop.
    private AppLogs.Following following;
    private long poll = -1;
    private long keepAlive = -1;
    private boolean polling;
    private boolean stopped;

    private RunOutput(Vertx vertx, HttpServerResponse response) {
        this.vertx = vertx;
        this.context = vertx.getOrCreateContext();
        this.response = response;
    }

    static void send(RoutingContext ctx, AppStore apps, InstanceStore instances, OneOffDesk desk, AppLogs logs) {
        String dyno = ctx.pathParam("dyno");
        ZooKeeperGate.blocking(ctx, () -> {
            String app = AppsResource.app(ctx);
            apps.require(app);
            if (!Runs.NAME.matcher(dyno).matches()
                    || (Runs.find(instances.list(app), dyno) == null && !desk.pending(app, dyno))) {
                throw new NotFound("app '" + app + "' has no one-off dyno '" + dyno + "'");
            }
            return app;
        }).onSuccess(app -> {
            HttpServerResponse response = Sse.start(ctx);
            RunOutput output = new RunOutput(ctx.vertx(), response);
            response.closeHandler(v -> output.stop());
            response.exceptionHandler(e -> output.stop());
            if (response.closed()) {
                return;
            }
            output.keepAlive = Sse.keepAlive(ctx.vertx(), response, Sse.KEEP_ALIVE);
            output.following = logs.follow(app, AppLogs.MAX_LINES, new LogFilter(dyno, "app"), output);
            output.following.recent().forEach(output::write);
            output.poll = ctx.vertx().setPeriodic(POLL_MILLIS, id -> output.check(app, dyno, instances, desk));
        }).onFailure(failure -> Problems.send(ctx, Problems.of(failure)));
    }

    /** From the appending thread, holding the app's log: hands the line to the event loop. */
    @Override
    public void line(String line) {
        inbox.add(line);
        if (scheduled.compareAndSet(false, true)) {
            context.runOnContext(v -> {
                scheduled.set(false);
                drain();
            });
        }
    }

    private void drain() {
        String next;
        while ((next = inbox.poll()) != null) {
            write(next);
        }
    }

    private void write(String line) {
        if (!stopped) {
            response.write(Sse.message(null, null, PREFIX.matcher(line).replaceFirst("")));
        }
    }

    /** Reads the dyno's state; once it has ended (or is gone), sends what is left and the exit message. */
    private void check(String app, String dyno, InstanceStore instances, OneOffDesk desk) {
        if (stopped || polling) {
            return;
        }
        polling = true;
        vertx.<Exit>executeBlocking(() -> {
            Instance instance = Runs.find(instances.list(app), dyno);
            if (instance == null) {
                return desk.pending(app, dyno) ? null : new Exit(null, "gone", dyno + " is gone");
            }
            if (!instance.state().gone()) {
                return null;
            }
            return new Exit(OneOff.exitCode(instance), DynoEvents.state(instance), instance.message());
        }, false).onComplete(result -> {
            polling = false;
            if (result.succeeded() && result.result() != null) {
                end(result.result());
            }
        });
    }

    private void end(Exit exit) {
        if (stopped) {
            return;
        }
        drain();
        try {
            response.end(Sse.message(null, "exit", Json.mapper().writeValueAsString(exit)));
        } catch (JsonProcessingException e) {
            response.end();
        }
        stop();
    }

    private void stop() {
        if (stopped) {
            return;
        }
        stopped = true;
        if (keepAlive >= 0) {
            vertx.cancelTimer(keepAlive);
        }
        if (poll >= 0) {
            vertx.cancelTimer(poll);
        }
        if (following != null) {
            following.stop();
        }
        inbox.clear();
    }
}
