package dev.slipway.framework.api;

import dev.slipway.zk.App;
import dev.slipway.zk.AppStore;
import dev.slipway.zk.NotFound;
import dev.slipway.zk.Versioned;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.function.BiFunction;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /apps/{app}/features}, as the Heroku Platform API's app features: switches of an app,
 * listed with their state and turned on or off with {@code PATCH {"enabled": true}}. An unknown
 * feature is not found (404), as Heroku answers. The one feature so far is {@code https-only}: the
 * router redirects the app's plain-HTTP requests to HTTPS; the scheduler puts it in the app's route
 * (see docs/tls.md).
 */
final class FeaturesResource {
    private static final Logger LOG = LoggerFactory.getLogger(FeaturesResource.class);

    /** Each feature: how it is read from an app, and how it is set. */
    enum Feature {
        HTTPS_ONLY("https-only", "HTTPS only",
                "Redirect requests that reach the router over plain HTTP to HTTPS: 301 for GET and HEAD, 308 "
                        + "(method and body kept) for the others. Requests over HTTPS are served as before.",
                "docs/tls.md#https-only", App::httpsOnly, (app, on) -> app.toBuilder().httpsOnly(on).build());

        final String key;
        final String displayName;
        final String description;
        final String docUrl;
        final Predicate<App> enabledIn;
        final BiFunction<App, Boolean, App> set;

        Feature(String key, String displayName, String description, String docUrl, Predicate<App> enabledIn,
                BiFunction<App, Boolean, App> set) {
            this.key = key;
            this.displayName = displayName;
            this.description = description;
            this.docUrl = docUrl;
            this.enabledIn = enabledIn;
            this.set = set;
        }

        static Feature named(String app, String name) {
            return Arrays.stream(values()).filter(f -> f.key.equals(name)).findFirst()
                    .orElseThrow(() -> new NotFound("app '" + app + "' has no feature '" + LogSafe.of(name, 100)
                            + "': the features are " + String.join(", ", Arrays.stream(values()).map(f -> f.key)
                            .toList())));
        }
    }

    private final AppStore apps;
    private final Runnable changed;

    /** @param changed asks the scheduler for a planning round (which publishes the route) */
    FeaturesResource(AppStore apps, Runnable changed) {
        this.apps = apps;
        this.changed = changed;
    }

    void mount(Router router) {
        router.get("/apps/:app/features").handler(ctx -> Handlers.respond(ctx, 200, () -> list(ctx)));
        router.get("/apps/:app/features/:feature").handler(ctx -> Handlers.respond(ctx, 200, () -> one(ctx)));
        router.patch("/apps/:app/features/:feature").handler(ctx -> Handlers.respond(ctx, 200, () -> update(ctx)));
    }

    private List<FeatureBody> list(RoutingContext ctx) {
        App app = apps.require(AppsResource.app(ctx)).value();
        return Arrays.stream(Feature.values()).map(f -> body(f, app)).toList();
    }

    private FeatureBody one(RoutingContext ctx) {
        App app = apps.require(AppsResource.app(ctx)).value();
        return body(Feature.named(app.name(), ctx.pathParam("feature")), app);
    }

    private FeatureBody update(RoutingContext ctx) {
        Versioned<App> app = apps.require(AppsResource.app(ctx));
        Feature feature = Feature.named(app.value().name(), ctx.pathParam("feature"));
        FeatureUpdate update = Handlers.body(ctx, FeatureUpdate.class);
        if (update.enabled() == null) {
            throw new Invalid(422, "the body needs \"enabled\": true to enable " + feature.key
                    + ", false to disable it");
        }
        if (feature.enabledIn.test(app.value()) == update.enabled()) {
            return body(feature, app.value());
        }
        App updated = AppsResource.write(apps, feature.set.apply(app.value(), update.enabled()), app.version()).value();
        LOG.info("app {}: feature {} {}", updated.name(), feature.key, update.enabled() ? "enabled" : "disabled");
        changed.run();
        return body(feature, updated);
    }

    private static FeatureBody body(Feature feature, App app) {
        return new FeatureBody(UUID.nameUUIDFromBytes(("feature:" + feature.key).getBytes(StandardCharsets.UTF_8))
                .toString(), feature.key, feature.displayName, feature.description, feature.docUrl,
                feature.enabledIn.test(app), "public", app.createdAt(), app.createdAt());
    }

    /** {@code PATCH /apps/{app}/features/{feature}}. */
    record FeatureUpdate(Boolean enabled) {
    }

    /**
     * A feature of an app as the Platform API shows it. Slipway does not record when a feature was
     * last switched: {@code created_at} and {@code updated_at} are the app's creation.
     */
    record FeatureBody(String id, String name, String displayName, String description, String docUrl,
                       boolean enabled, String state, Instant createdAt, Instant updatedAt) {
    }
}
