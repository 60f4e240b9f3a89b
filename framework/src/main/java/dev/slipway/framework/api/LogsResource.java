package dev.slipway.framework.api;

import dev.slipway.framework.logs.AppLogs;
import dev.slipway.framework.logs.LogFilter;
import dev.slipway.framework.logs.RouterLines;
import dev.slipway.zk.AppStore;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Set;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The apps' logs, as Heroku's log sessions serve them. {@code POST /apps/{app}/log-lines} is where
 * executors ship an app's lines ({@value BrowserGuard#LOG_LINES}, UTF-8, one line per line, at
 * most 1 MB a request);
 * {@code GET /apps/{app}/logs?lines=N} answers the recent lines, and with {@code tail=true} keeps
 * the response open and sends each new line as it comes. {@code dyno} and {@code source} filter.
 * {@code POST /router-log-lines} is where routers ship their lines about requests, of any apps
 * ({@value BrowserGuard#ROUTER_LOG_LINES}, see {@link RouterLines}): each goes into its app's log as
 * {@code slipway[router]}; a line for an app that does not exist is dropped.
 */
final class LogsResource {
    static final int MAX_BODY_BYTES = 1024 * 1024;
    static final int DEFAULT_LINES = 100;
    private static final Pattern DYNO = Pattern.compile("[a-z0-9][a-z0-9_-]*(\\.[0-9]+)?");

    private final AppStore apps;
    private final AppLogs logs;
    private final Clock clock;

    LogsResource(AppStore apps, AppLogs logs, Clock clock) {
        this.apps = apps;
        this.logs = logs;
        this.clock = clock;
    }

    void mount(Router router) {
        router.post("/apps/:app/log-lines").handler(this::ingest);
        router.post("/router-log-lines").handler(this::ingestRouter);
        router.get("/apps/:app/logs").handler(this::show);
    }

    private void ingest(RoutingContext ctx) {
        String app = Uploads.appOrRefuse(ctx, MAX_BODY_BYTES, LogsResource::tooLarge);
        if (app == null) {
            return;
        }
        HttpServerRequest request = ctx.request();
        exists(ctx, app)
                .compose(v -> receive(request))
                .onSuccess(body -> {
                    logs.append(app, lines(body));
                    ctx.response().setStatusCode(204).end();
                })
                .onFailure(failure -> Uploads.refuse(ctx, Problems.of(failure)));
    }

    private void ingestRouter(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        request.pause();
        if (Uploads.declaredOver(request, MAX_BODY_BYTES)) {
            Uploads.refuse(ctx, Problems.of(tooLarge()));
            return;
        }
        receive(request)
                .map(body -> RouterLines.parse(lines(body), clock.instant()))
                .compose(byApp -> existing(ctx, byApp.keySet()).map(found -> {
                    byApp.forEach((app, lines) -> {
                        if (found.contains(app)) {
                            logs.appendRouter(app, lines);
                        }
                    });
                    return byApp;
                }))
                .onSuccess(v -> ctx.response().setStatusCode(204).end())
                .onFailure(failure -> Uploads.refuse(ctx, Problems.of(failure)));
    }

    /** Which of {@code names} are apps: at once for those whose log is here, else after asking ZooKeeper. */
    private Future<Set<String>> existing(RoutingContext ctx, Set<String> names) {
        Set<String> found = new HashSet<>();
        List<String> unknown = new ArrayList<>();
        for (String name : names) {
            if (logs.knows(name)) {
                found.add(name);
            } else if (AppName.isValid(name)) {
                unknown.add(name);
            }
        }
        if (unknown.isEmpty()) {
            return Future.succeededFuture(found);
        }
        return ZooKeeperGate.blocking(ctx, () -> {
            for (String name : unknown) {
                if (apps.get(name).isPresent()) {
                    found.add(name);
                }
            }
            return found;
        });
    }

    private void show(RoutingContext ctx) {
        String app;
        int lines;
        LogFilter filter;
        boolean tail;
        try {
            app = AppsResource.app(ctx);
            lines = lineCount(ctx.queryParams().get("lines"));
            filter = filter(ctx.queryParams().get("dyno"), ctx.queryParams().get("source"));
            tail = flag(ctx.queryParams().get("tail"));
        } catch (RuntimeException e) {
            Problems.send(ctx, Problems.of(e));
            return;
        }
        exists(ctx, app).onSuccess(v -> {
            if (tail) {
                LogTail.send(ctx, logs, app, lines, filter, clock);
                return;
            }
            StringBuilder text = new StringBuilder();
            logs.recent(app, lines, filter).forEach(line -> text.append(line).append('\n'));
            Handlers.plainText(ctx).end(text.toString());
        }).onFailure(failure -> Problems.send(ctx, Problems.of(failure)));
    }

    /** Succeeds when the app exists: at once when its log is here, else after asking ZooKeeper. */
    private Future<Void> exists(RoutingContext ctx, String app) {
        if (logs.knows(app)) {
            return Future.succeededFuture();
        }
        return ZooKeeperGate.blocking(ctx, () -> {
            apps.require(app);
            return null;
        });
    }

    /** The body, up to {@link #MAX_BODY_BYTES}; fails with 413 past that. */
    private static Future<Buffer> receive(HttpServerRequest request) {
        Promise<Buffer> done = Promise.promise();
        Buffer body = Buffer.buffer();
        request.handler(chunk -> {
            if (done.future().isComplete()) {
                return;
            }
            if (body.length() + chunk.length() > MAX_BODY_BYTES) {
                request.pause();
                done.tryFail(tooLarge());
                return;
            }
            body.appendBuffer(chunk);
        });
        request.exceptionHandler(done::tryFail);
        request.endHandler(v -> done.tryComplete(body));
        request.resume();
        return done.future();
    }

    private static List<String> lines(Buffer body) {
        List<String> lines = new ArrayList<>();
        body.toString(StandardCharsets.UTF_8).lines().forEach(line -> {
            if (!line.isEmpty()) {
                lines.add(line);
            }
        });
        return lines;
    }

    private static int lineCount(String value) {
        if (value == null || value.isBlank()) {
            return DEFAULT_LINES;
        }
        int lines;
        try {
            lines = Integer.parseInt(value.strip());
        } catch (NumberFormatException e) {
            lines = -1;
        }
        if (lines < 0) {
            throw new Invalid(400, "lines must be a whole number from 0 to " + AppLogs.MAX_LINES + ", not '"
                    + value + "'");
        }
        return Math.min(lines, AppLogs.MAX_LINES);
    }

    private static LogFilter filter(String dyno, String source) {
        if (dyno != null && !dyno.isEmpty() && !DYNO.matcher(dyno).matches()) {
            throw new Invalid(400, "dyno must name an instance (web.1) or a process type (web), not '" + dyno + "'");
        }
        if (source != null && !source.isEmpty() && !source.equals("app") && !source.equals("slipway")
                && !source.equals(LogFilter.ROUTER)) {
            throw new Invalid(400, "source must be app, slipway or router, not '" + source + "'");
        }
        return new LogFilter(dyno, source);
    }

    private static boolean flag(String value) {
        if (value == null || value.isEmpty() || value.equals("false")) {
            return false;
        }
        if (value.equals("true")) {
            return true;
        }
        throw new Invalid(400, "tail must be true or false, not '" + value + "'");
    }

    private static Invalid tooLarge() {
        return new Invalid(413, "log lines are taken at most " + MAX_BODY_BYTES / 1024 + " KB at a time");
    }
}
