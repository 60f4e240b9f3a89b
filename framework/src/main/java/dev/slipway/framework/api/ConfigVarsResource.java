package dev.slipway.framework.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.slipway.framework.api.Bodies.ReleaseBody;
import dev.slipway.framework.auth.Caller;
import dev.slipway.framework.release.Releaser;
import dev.slipway.zk.AppStore;
import dev.slipway.zk.Release;
import dev.slipway.zk.ReleaseStore;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code /apps/{app}/config-vars} (the only place config values are shown), a release of its own
 * ({@code GET /apps/{app}/releases/{version}}) and new releases without a build:
 * {@code POST /apps/{app}/releases} with {@code {"release": "v3"}} (a rollback) or
 * {@code {"slug": "<digest>"}}, as in the Heroku Platform API.
 */
final class ConfigVarsResource {
    private final AppStore apps;
    private final ReleaseStore releases;
    private final Releaser releaser;

    ConfigVarsResource(AppStore apps, ReleaseStore releases, Releaser releaser) {
        this.apps = apps;
        this.releases = releases;
        this.releaser = releaser;
    }

    void mount(Router router) {
        router.get("/apps/:app/config-vars").handler(ctx -> Handlers.respond(ctx, 200,
                () -> new TreeMap<>(releaser.config(AppsResource.app(ctx)).vars())));
        router.patch("/apps/:app/config-vars").handler(this::patch);
        router.get("/apps/:app/releases/:version").handler(ctx -> Handlers.respond(ctx, 200, () -> {
            String app = apps.require(AppsResource.app(ctx)).value().name();
            int version = version(ctx.pathParam("version"));
            return ReleaseBody.of(releases.get(app, version).orElseThrow(() -> new dev.slipway.zk.NotFound(
                    "app '" + app + "' has no release v" + version + " (`slipway releases` lists those kept)")));
        }));
        router.post("/apps/:app/releases").handler(this::create);
    }

    /** The changes: each key set to its string value, or unset by null; 422 naming the key otherwise. */
    private void patch(RoutingContext ctx) {
        Handlers.respond(ctx, 200, () -> {
            String app = AppsResource.app(ctx);
            JsonNode body = Handlers.body(ctx, JsonNode.class);
            Map<String, String> changes = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> fields = body.fields(); fields.hasNext(); ) {
                Map.Entry<String, JsonNode> field = fields.next();
                String problem = dev.slipway.zk.ConfigVars.nameProblem(field.getKey());
                if (problem != null) {
                    throw new Invalid(422, problem);
                }
                JsonNode value = field.getValue();
                if (!value.isNull() && !value.isTextual()) {
                    throw new Invalid(422, "config var " + field.getKey() + ": a value is a string (or null to unset"
                            + " it)");
                }
                changes.put(field.getKey(), value.isNull() ? null : value.textValue());
            }
            if (changes.isEmpty()) {
                throw new Invalid(422, "the body names no config var: send {\"NAME\": \"value\"}, or null to unset");
            }
            try {
                return new TreeMap<>(releaser.change(app, changes, Caller.of(ctx).user()).config().vars());
            } catch (IllegalArgumentException e) {
                throw new Invalid(422, e.getMessage());
            }
        });
    }

    /** A rollback ({@code release}) or a release of a kept slug ({@code slug}): one of the two. */
    private void create(RoutingContext ctx) {
        Handlers.respond(ctx, 201, () -> {
            String app = AppsResource.app(ctx);
            NewRelease request = Handlers.body(ctx, NewRelease.class);
            String user = Caller.of(ctx).user();
            if ((request.release() == null) == (request.slug() == null)) {
                throw new Invalid(422, "the body takes either \"release\" (the version or id of a release to roll "
                        + "back to) or \"slug\" (the id of a slug of a kept release), not " + (request.release() == null
                        ? "neither" : "both"));
            }
            try {
                Release release = request.release() != null
                        ? releaser.rollback(app, version(request.release()), user)
                        : releaser.releaseSlug(app, request.slug(), user);
                return ReleaseBody.of(release);
            } catch (IllegalArgumentException e) {
                throw new Invalid(422, e.getMessage());
            }
        });
    }

    /** {@code POST /apps/{app}/releases}: {@code release} is "v3", "3" or 3. */
    record NewRelease(JsonNode release, String slug) {
        NewRelease {
            if (release != null && release.isNull()) {
                release = null;
            }
        }
    }

    private static int version(JsonNode release) {
        if (release.isInt()) {
            return release.intValue();
        }
        if (release.isTextual()) {
            return version(release.textValue());
        }
        throw new Invalid(422, "release: a release is named by its version, like \"v3\" or 3");
    }

    private static int version(String text) {
        String digits = text.startsWith("v") ? text.substring(1) : text;
        if (!digits.matches("[0-9]{1,9}")) {
            throw new Invalid(422, "release: '" + (text.length() > 20 ? text.substring(0, 20) + "..." : text)
                    + "' is not a release: name it by its version, like v3");
        }
        return Integer.parseInt(digits);
    }
}
