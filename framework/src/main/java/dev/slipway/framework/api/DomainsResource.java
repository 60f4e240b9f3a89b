package dev.slipway.framework.api;

import dev.slipway.zk.App;
import dev.slipway.zk.AppStore;
import dev.slipway.zk.Conflict;
import dev.slipway.zk.Domain;
import dev.slipway.zk.DomainStore;
import dev.slipway.zk.NotFound;
import dev.slipway.zk.Versioned;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /apps/{app}/domains}, as the Heroku Platform API's: the hostnames an app answers to, its
 * default one ({@code <app>.<domain>}, kind {@code default}) and its custom ones (kind
 * {@code custom}), added and removed here. A hostname belongs to one app only: adding one another
 * app has is a 409 (see {@link DomainStore}). The scheduler puts the custom domains in the app's
 * route, which the router serves (see docs/domains.md).
 */
final class DomainsResource {
    private static final Logger LOG = LoggerFactory.getLogger(DomainsResource.class);
    static final String DEFAULT = "default";
    static final String CUSTOM = "custom";

    private final AppStore apps;
    private final DomainStore domains;
    private final String domain;
    private final Runnable changed;
    private final Clock clock;

    /**
     * @param domain  the platform's domain: apps answer at {@code <app>.<domain>}
     * @param changed asks the scheduler for a planning round (which publishes the route)
     */
    DomainsResource(AppStore apps, String domain, Runnable changed, Clock clock) {
        this.apps = apps;
        this.domains = apps.domains();
        this.domain = domain.toLowerCase(Locale.ROOT);
        this.changed = changed;
        this.clock = clock;
    }

    void mount(Router router) {
        router.get("/apps/:app/domains").handler(ctx -> Handlers.respond(ctx, 200, () -> list(ctx)));
        router.get("/apps/:app/domains/:hostname").handler(ctx -> Handlers.respond(ctx, 200, () -> one(ctx)));
        router.post("/apps/:app/domains").handler(ctx -> Handlers.respond(ctx, 201, () -> add(ctx)));
        router.delete("/apps/:app/domains/:hostname").handler(ctx -> Handlers.respond(ctx, 200, () -> remove(ctx)));
    }

    private List<DomainBody> list(RoutingContext ctx) {
        App app = apps.require(AppsResource.app(ctx)).value();
        List<DomainBody> bodies = new ArrayList<>();
        bodies.add(defaultOf(app));
        domains.of(app).forEach(d -> bodies.add(custom(d)));
        return bodies;
    }

    private DomainBody one(RoutingContext ctx) {
        App app = apps.require(AppsResource.app(ctx)).value();
        String hostname = named(ctx);
        if (hostname.equals(defaultHostname(app))) {
            return defaultOf(app);
        }
        return domains.of(app).stream().filter(d -> d.hostname().equals(hostname)).findFirst().map(this::custom)
                .orElseThrow(() -> new NotFound("app '" + app.name() + "' has no domain " + LogSafe.of(hostname, 100)));
    }

    private DomainBody add(RoutingContext ctx) {
        Versioned<App> app = apps.require(AppsResource.app(ctx));
        DomainCreate body = Handlers.body(ctx, DomainCreate.class);
        String hostname = DomainName.validate(body.hostname(), app.value().name(), domain);
        if (app.value().domains().contains(hostname)) {
            throw new Conflict("app '" + app.value().name() + "' has domain " + hostname + " already");
        }
        if (app.value().domains().size() >= App.MAX_DOMAINS) {
            throw new Invalid(422, "app '" + app.value().name() + "' has " + App.MAX_DOMAINS
                    + " domains: the most an app may have; remove one first");
        }
        Domain added = domains.add(app, new Domain(hostname, app.value().name(), UUID.randomUUID().toString(),
                Instant.now(clock)));
        LOG.info("app {}: domain {} added", added.app(), added.hostname());
        changed.run();
        return custom(added);
    }

    private DomainBody remove(RoutingContext ctx) {
        Versioned<App> app = apps.require(AppsResource.app(ctx));
        String hostname = named(ctx);
        if (hostname.equals(defaultHostname(app.value()))) {
            throw new Invalid(422, "hostname '" + hostname + "' is the app's default hostname: it cannot be removed");
        }
        if (!app.value().domains().contains(hostname)) {
            throw new NotFound("app '" + app.value().name() + "' has no domain " + LogSafe.of(hostname, 100));
        }
        Domain removed = domains.remove(app, hostname);
        LOG.info("app {}: domain {} removed", removed.app(), removed.hostname());
        changed.run();
        return custom(removed);
    }

    /** The hostname in the path, as it is stored: lower case, no trailing dot. */
    private static String named(RoutingContext ctx) {
        String hostname = ctx.pathParam("hostname").toLowerCase(Locale.ROOT);
        return hostname.endsWith(".") ? hostname.substring(0, hostname.length() - 1) : hostname;
    }

    private String defaultHostname(App app) {
        return app.name() + "." + domain;
    }

    private DomainBody defaultOf(App app) {
        String hostname = defaultHostname(app);
        return new DomainBody(UUID.nameUUIDFromBytes(("default:" + hostname).getBytes(StandardCharsets.UTF_8))
                .toString(), hostname, DEFAULT, null, app.createdAt(), app.createdAt(), new AppRef(app.name()));
    }

    private DomainBody custom(Domain d) {
        return new DomainBody(d.id(), d.hostname(), CUSTOM, d.app() + "." + domain, d.createdAt(), d.createdAt(),
                new AppRef(d.app()));
    }

    /** {@code POST /apps/{app}/domains}. */
    record DomainCreate(String hostname) {
    }

    /**
     * A domain as the Platform API shows it; {@code cname} is where a custom domain's DNS record
     * points (the app's default hostname), null for the default one.
     */
    record DomainBody(String id, String hostname, String kind, String cname, Instant createdAt, Instant updatedAt,
                      AppRef app) {
    }

    record AppRef(String name) {
    }
}
