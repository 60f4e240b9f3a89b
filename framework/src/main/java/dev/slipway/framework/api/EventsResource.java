package dev.slipway.framework.api;

import dev.slipway.framework.events.Event;
import dev.slipway.framework.events.EventLog;
import dev.slipway.framework.events.EventTypes;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Set;
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

    private final EventLog log;
    private final Duration keepAlive;
    private final int maxWaiting;
    private final Clock clock;

    EventsResource(EventLog log, Duration keepAlive, int maxWaiting, Clock clock) {
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
        Predicate<String> visible = visibility(ctx);
        Predicate<Event> filter = event -> (types.isEmpty() || types.contains(event.type()))
                && (app == null || app.equals(event.app()))
                && visible.test(event.app());
        EventStream.send(ctx, log, lastEventId, filter, keepAlive, maxWaiting, clock);
    }

    /**
     * The apps whose events the client of {@code ctx} may see: every app, until tokens come. The
     * one place to decide it: with auth, this takes the {@code Caller} the auth handler put into
     * the context and answers {@code caller::mayAccess}. Asked once per stream, on the event
     * loop; the predicate it returns is then tested on publishing threads for every event, so it
     * must be cheap, thread-safe and never block (no ZooKeeper read: a team's apps read at
     * subscription, or a cached view).
     */
    static Predicate<String> visibility(RoutingContext ctx) {
        return app -> true;
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
