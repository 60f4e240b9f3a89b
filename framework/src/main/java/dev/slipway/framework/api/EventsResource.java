package dev.slipway.framework.api;

import dev.slipway.framework.auth.Caller;
import dev.slipway.framework.events.Event;
import dev.slipway.framework.events.EventLog;
import dev.slipway.framework.events.EventTypes;
import dev.slipway.zk.App;
import dev.slipway.zk.AppStore;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * {@code GET /events}, as Marathon's {@code /v2/events}: the framework's events as Server-Sent
 * Events, {@code ?type=a,b} and {@code ?app=name} to narrow them, resumable with
 * {@code Last-Event-ID} (or {@code ?since=<id>} for curl). See {@link EventStream}.
 */
final class EventsResource {
    /** What an event id looks like ({@code <term>-<seq>}); anything else is echoed as not one. */
    private static final Pattern ID = Pattern.compile("[0-9a-z]{1,20}-[0-9]{1,19}");

    private final AppStore apps;
    private final EventLog log;
    private final Duration keepAlive;
    private final int maxWaiting;
    private final Clock clock;

    EventsResource(AppStore apps, EventLog log, Duration keepAlive, int maxWaiting, Clock clock) {
        this.apps = apps;
        this.log = log;
        this.keepAlive = keepAlive;
        this.maxWaiting = maxWaiting;
        this.clock = clock;
    }

    void mount(Router router) {
        router.get("/events").handler(this::stream);
    }

    private void stream(RoutingContext ctx) {
        Set<String> types;
        String app;
        try {
            types = types(ctx.queryParams().getAll("type"));
            app = ctx.queryParams().get("app");
            if (app != null && !AppName.isValid(app)) {
                throw new Invalid(400, "app must be an app's name (lowercase letters, digits and dashes), not '"
                        + app + "'");
            }
        } catch (Invalid e) {
            Problems.send(ctx, Problems.of(e));
            return;
        }
        String lastEventId = ctx.request().getHeader("Last-Event-ID");
        if (lastEventId == null || lastEventId.isBlank()) {
            lastEventId = ctx.queryParams().get("since");
        }
        if (lastEventId != null) {
            lastEventId = lastEventId.strip();
            if (!ID.matcher(lastEventId).matches()) {
                lastEventId = "(not an event id)";
            }
        }
        String from = lastEventId;
        Caller caller = Caller.of(ctx);
        ctx.vertx().executeBlocking(() -> visibility(caller, app), false).onComplete(decided -> {
            if (decided.failed()) {
                Problems.send(ctx, Problems.of(decided.cause()));
                return;
            }
            Predicate<Event> visible = decided.result();
            Predicate<Event> filter = event -> (types.isEmpty() || types.contains(event.type()))
                    && (app == null || app.equals(event.app()))
                    && visible.test(event);
            EventStream.send(ctx, log, from, filter, keepAlive, maxWaiting, clock);
        });
    }

    /**
     * Which events {@code caller} may see (blocking: reads the apps once): an admin every one;
     * anyone else those of the apps of their teams when the stream opens, and of the apps created
     * for their teams while it is open (an {@code app.created} event names its team). A stream
     * keeps the teams its caller had when it opened. The predicate is tested on publishing
     * threads for every event: cheap, thread-safe, never blocking. Asking for one app that exists
     * and is another team's is refused (403), as every call about it is.
     */
    private Predicate<Event> visibility(Caller caller, String app) {
        if (caller.admin()) {
            return event -> true;
        }
        Set<String> mine = ConcurrentHashMap.newKeySet();
        for (App each : apps.list()) {
            if (caller.mayAccess(each)) {
                mine.add(each.name());
            } else if (each.name().equals(app)) {
                throw Denied.forbidden("not yours: app '" + app + "' belongs to another team");
            }
        }
        return event -> {
            if (event.app() == null) {
                return false;
            }
            if (EventTypes.APP_CREATED.equals(event.type()) && !mine.contains(event.app())) {
                String team = event.team();
                if (team != null && caller.mayAccessTeam(team)) {
                    mine.add(event.app());
                }
            }
            return mine.contains(event.app());
        };
    }

    /** The types asked for (none: all), from {@code ?type=a,b} or several {@code type} parameters. */
    private static Set<String> types(Iterable<String> values) {
        Set<String> types = new LinkedHashSet<>();
        for (String value : values) {
            for (String type : value.split(",")) {
                String name = type.strip();
                if (name.isEmpty()) {
                    continue;
                }
                if (!EventTypes.ALL.contains(name)) {
                    throw new Invalid(400, "no event type '" + (name.length() > 40 ? name.substring(0, 40) + "..."
                            : name) + "': the types are " + String.join(", ", EventTypes.ALL));
                }
                types.add(name);
            }
        }
        return types;
    }
}
