package dev.slipway.framework.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.slipway.framework.api.Bodies.AppBody;
import dev.slipway.framework.api.Bodies.DynoBody;
import dev.slipway.framework.api.Bodies.FormationBody;
import dev.slipway.framework.api.Bodies.ReleaseBody;
import dev.slipway.framework.auth.Caller;
import dev.slipway.zk.AccountStore;
import dev.slipway.framework.events.EventSink;
import dev.slipway.framework.events.EventTypes;
import dev.slipway.zk.App;
import dev.slipway.zk.AppStore;
import dev.slipway.zk.CrashBackoffStore;
import dev.slipway.zk.InstanceStore;
import dev.slipway.zk.ProcessTypes;
import dev.slipway.zk.Release;
import dev.slipway.zk.ReleaseStore;
import dev.slipway.zk.Size;
import dev.slipway.zk.Versioned;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code /apps}, releases, dynos and formation, named as in the Heroku Platform API. */
final class AppsResource {
    private static final Logger LOG = LoggerFactory.getLogger(AppsResource.class);
    private static final Paging<App> APPS = new Paging<>("name", App::name, java.util.Comparator.naturalOrder(), false);
    private static final Paging<Release> RELEASES = new Paging<>("version", r -> Integer.toString(r.version()),
            Paging.numeric(), false);
    private static final Paging<DynoBody> DYNOS = new Paging<>("name", DynoBody::name, Paging.natural(), false);

    private final AppStore apps;
    private final ReleaseStore releases;
    private final InstanceStore instances;
    private final CrashBackoffStore crashes;
    private final AccountStore accounts;
    private final AppBodies bodies;
    private final Runnable changed;
    private final Supplier<Map<String, List<String>>> vetoes;
    private final Clock clock;
    private final SizeRequest.Rules sizes;
    private final EventSink events;
    private final dev.slipway.framework.logs.AppLogs logs;

    AppsResource(AppStore apps, ReleaseStore releases, InstanceStore instances, AppBodies bodies, Runnable changed,
                 Supplier<Map<String, List<String>>> vetoes, Clock clock, SizeRequest.Rules sizes, EventSink events,
                 dev.slipway.framework.logs.AppLogs logs) {
        this.logs = logs;
        this.apps = apps;
        this.releases = releases;
        this.instances = instances;
        this.crashes = apps.crashes();
        this.accounts = apps.accounts();
        this.bodies = bodies;
        this.changed = changed;
        this.vetoes = vetoes;
        this.clock = clock;
        this.sizes = sizes;
        this.events = events;
    }

    void mount(Router router) {
        router.post("/apps").handler(this::create);
        router.get("/apps").handler(ctx -> {
            Caller caller = Caller.of(ctx);
            APPS.respond(ctx, () -> apps.list().stream().filter(caller::mayAccess).toList(), this::body);
        });
        router.get("/apps/:app").handler(ctx -> Handlers.respond(ctx, 200,
                () -> body(apps.require(app(ctx)).value())));
        router.patch("/apps/:app").handler(this::update);
        router.get("/apps/:app/releases").handler(ctx -> {
            Map<Integer, String> states = new java.util.HashMap<>();
            int[] running = {0};
            RELEASES.respond(ctx, () -> {
                App app = apps.require(app(ctx)).value();
                List<dev.slipway.zk.Deployment> kept = apps.deployments().list(app.name());
                kept.forEach(d -> states.put(d.to(), d.state().word()));
                running[0] = kept.isEmpty() ? app.release() : kept.get(0).running();
                return releases.list(app.name());
            }, r -> ReleaseBody.of(r, r.version() == running[0], states.get(r.version())));
        });
        router.get("/apps/:app/dynos").handler(ctx -> DYNOS.respond(ctx, () -> {
            boolean all = Dynos.all(ctx.queryParams().get("all"));
            App app = apps.require(app(ctx)).value();
            return all ? Dynos.history(instances.list(app.name()), pending(app))
                    : Dynos.of(app, instances.list(app.name()), crashes.list(app.name()), pending(app), clock.instant());
        }, dyno -> dyno));
        router.get("/apps/:app/formation").handler(ctx -> Handlers.respond(ctx, 200, () -> formation(app(ctx))));
        router.patch("/apps/:app/formation/:type").handler(this::scale);
    }

    private void create(RoutingContext ctx) {
        Handlers.respond(ctx, 201, () -> {
            Bodies.CreateApp request = Handlers.body(ctx, Bodies.CreateApp.class);
            if (request == null) {
                throw new Invalid(422, "the body must be a JSON object with the app's name");
            }
            String name = AppName.validate(request.name());
            String team = team(Caller.of(ctx), request.team());
            if (apps.get(name).isEmpty() && !instances.list(name).isEmpty()) {
                throw new dev.slipway.zk.Conflict("app '" + name + "' is being destroyed: its instances are still "
                        + "stopping; create it again in a moment");
            }
            try {
                App app = apps.create(App.created(name, team, clock.instant())).value();
                LOG.info("app {} created for team {}", name, team);
                // A log of its own: nothing of an app of that name destroyed before.
                logs.created(name);
                // The team goes with the event: event streams of its members learn of the new app by it.
                events.publish(EventTypes.APP_CREATED, name, team, Map.of("message", "app " + name + " created"));
                return body(app);
            } catch (dev.slipway.zk.Conflict e) {
                throw new dev.slipway.zk.Conflict("app '" + name + "' already exists");
            }
        });
    }

    /**
     * The team a new app goes to: the one named, which must exist and be the caller's (or the
     * caller an admin); else the caller's only team.
     */
    private String team(Caller caller, String named) {
        if (named == null) {
            List<String> mine = caller.teams().stream().sorted().toList();
            if (mine.size() != 1) {
                throw new Invalid(422, "team: " + (mine.isEmpty() ? "you are a member of no team; create one with "
                        + "`slipway teams:create NAME`, or ask to be added to one"
                        : "you are a member of " + mine.size() + " teams (" + String.join(", ", mine)
                        + "): name the app's team with --team"));
            }
            return mine.get(0);
        }
        if (!dev.slipway.zk.User.NAME.matcher(named).matches() || accounts.team(named).isEmpty()) {
            throw new Invalid(422, "team: no team '" + named + "' (`slipway teams` lists yours)");
        }
        if (!caller.mayAccessTeam(named)) {
            throw Denied.forbidden("team '" + named + "' is not yours: you may create apps only for your own teams");
        }
        return named;
    }

    /**
     * Changes the app's settings. No planning round is asked for: a kill grace applies from the
     * next kill on, to the instances already running too.
     */
    private void update(RoutingContext ctx) {
        Handlers.respond(ctx, 200, () -> {
            Versioned<App> app = apps.require(app(ctx));
            AppUpdate update = AppUpdate.parse(Handlers.body(ctx, JsonNode.class), bodies.defaultKillGraceSeconds());
            App next = app.value();
            if (update.killGrace()) {
                next = next.withKillGraceSeconds(update.killGraceSeconds());
            }
            if (update.deployTimeout()) {
                next = next.withDeployTimeoutSeconds(update.deployTimeoutSeconds());
            }
            App updated = write(apps, next, app.version()).value();
            if (update.killGrace()) {
                LOG.info("app {}: kill grace set to {}", updated.name(), updated.killGraceSeconds() == null
                        ? "the default (" + bodies.defaultKillGraceSeconds() + " s)" : updated.killGraceSeconds() + " s");
            }
            if (update.deployTimeout()) {
                LOG.info("app {}: deploy timeout set to {} s", updated.name(), updated.deployTimeoutSecondsOrDefault());
            }
            return body(updated);
        });
    }

    /**
     * Slots waiting for an offer that fits, with why each offer did not (aurora's vetoes), or, when
     * their size is larger than any agent seen, that no agent offers that much (waiting will not help).
     */
    private List<DynoBody> pending(App app) {
        String prefix = app.name() + " ";
        List<DynoBody> waiting = new ArrayList<>();
        new TreeMap<>(vetoes.get()).forEach((slot, reasons) -> {
            if (slot.startsWith(prefix)) {
                String name = slot.substring(prefix.length());
                String type = name.substring(0, name.lastIndexOf('.'));
                String never = sizes.neverFits(app.sizeOf(type));
                waiting.add(new DynoBody(name, type, "pending", app.release(), false,
                        "", 0, "", never != null ? never : pendingMessage(reasons), null, null, null));
            }
        });
        return waiting;
    }

    /**
     * Offers' reasons (each names its offer) are resources lacking; a single line that names no
     * offer is a placement constraint's summary over every agent, shown as it is:
     * {@code UNIQUE hostname: all 3 agents already run web}.
     */
    private static String pendingMessage(List<String> reasons) {
        boolean constraint = reasons.size() == 1 && !reasons.get(0).startsWith("offer ")
                && !reasons.get(0).startsWith("no offer");
        return constraint ? reasons.get(0) : "waiting for resources: " + String.join("; ", reasons);
    }

    private List<FormationBody> formation(String name) {
        App app = apps.require(name).value();
        Map<String, String> commands = app.release() == 0 ? Map.of()
                : releases.get(app.name(), app.release()).map(Release::processTypes).orElse(Map.of());
        Map<String, FormationBody> rows = new TreeMap<>();
        commands.forEach((type, command) -> rows.put(type, row(app, type,
                app.formation().getOrDefault(type, "web".equals(type) ? 1 : 0), command)));
        app.formation().forEach((type, quantity) -> rows.putIfAbsent(type, row(app, type, quantity, null)));
        app.constraints().forEach((type, list) -> rows.putIfAbsent(type, row(app, type, 0, null)));
        app.sizes().forEach((type, size) -> rows.putIfAbsent(type, row(app, type, 0, null)));
        return List.copyOf(rows.values());
    }

    private FormationBody row(App app, String type, int quantity, String command) {
        return FormationBody.of(type, quantity, command, app.constraintsOf(type), sizes.of(app.sizeOf(type)));
    }

    private void scale(RoutingContext ctx) {
        Handlers.respond(ctx, 200, () -> {
            String type = ctx.pathParam("type");
            String badType = ProcessTypes.problem(type);
            if (badType != null) {
                throw new Invalid(422, badType);
            }
            Bodies.ScaleBody request = Handlers.body(ctx, Bodies.ScaleBody.class);
            Integer quantity = request.quantity();
            List<String> constraints = request.constraints() == null ? null
                    : ConstraintsBody.parse(request.constraints());
            boolean sized = request.size() != null || request.cpus() != null || request.memoryMb() != null;
            if ((quantity == null && constraints == null && !sized)
                    || (quantity != null && (quantity < 0 || quantity > ProcessTypes.MAX_QUANTITY))) {
                throw new Invalid(422, "quantity must be a whole number from 0 to " + ProcessTypes.MAX_QUANTITY);
            }
            Versioned<App> app = apps.require(app(ctx));
            Size size = SizeRequest.parse(request.size(), request.cpus(), request.memoryMb(),
                    app.value().sizeOf(type), sizes);
            if (size != null && !app.value().sizes().containsKey(type)
                    && app.value().sizes().size() >= ProcessTypes.MAX_TYPES) {
                throw new Invalid(422, "app '" + app.value().name() + "' already has sizes for "
                        + ProcessTypes.MAX_TYPES + " process types, the most an app can have");
            }
            Map<String, Integer> formation = app.value().formation();
            if (quantity != null && !formation.containsKey(type) && formation.size() >= ProcessTypes.MAX_TYPES) {
                throw new Invalid(422, "app '" + app.value().name() + "' already has " + ProcessTypes.MAX_TYPES
                        + " process types in its formation, the most an app can have");
            }
            if (constraints != null && !app.value().constraints().containsKey(type)
                    && app.value().constraints().size() >= ProcessTypes.MAX_TYPES) {
                throw new Invalid(422, "app '" + app.value().name() + "' already has constraints on "
                        + ProcessTypes.MAX_TYPES + " process types, the most an app can have");
            }
            if (app.value().release() > 0) {
                Release release = releases.get(app.value().name(), app.value().release()).orElseThrow();
                if (!release.processTypes().containsKey(type)) {
                    throw new Invalid(422, "no process type '" + type + "' in release v" + release.version()
                            + " (it has: " + String.join(", ", release.processTypes().keySet()) + ")");
                }
            }
            App next = app.value();
            if (quantity != null) {
                next = next.scaled(type, quantity);
            }
            if (constraints != null) {
                next = next.withConstraints(type, constraints);
            }
            if (size != null) {
                next = next.withSize(type, size);
            }
            write(apps, next, app.version());
            if (quantity != null) {
                LOG.info("app {} scaled: {}={}", app.value().name(), type, quantity);
            }
            if (constraints != null) {
                LOG.info("app {} constraints of {}: {}", app.value().name(), type, constraints);
            }
            if (size != null) {
                LOG.info("app {} resized: {} to {}", app.value().name(), type, size.describe());
            }
            changed.run();
            return formation(app.value().name());
        });
    }

    private AppBody body(App app) {
        return bodies.of(app);
    }

    /**
     * Writes the app if no other call changed it since it was read at {@code version}: else a
     * {@link dev.slipway.zk.Conflict} (409) telling the client to retry, and nothing written. Two
     * calls changing one app at once never lose one of the changes.
     */
    static Versioned<App> write(AppStore apps, App next, int version) {
        try {
            return apps.update(next, version);
        } catch (dev.slipway.zk.Conflict e) {
            throw new dev.slipway.zk.Conflict("app '" + next.name() + "' was changed by another request while this one "
                    + "ran: nothing was written; read it again and retry");
        }
    }

    /** The app named in the path; a name that could never exist is simply not found. */
    static String app(RoutingContext ctx) {
        String name = ctx.pathParam("app");
        if (!AppName.isValid(name)) {
            throw new dev.slipway.zk.NotFound("app '" + name + "' does not exist");
        }
        return name;
    }
}
