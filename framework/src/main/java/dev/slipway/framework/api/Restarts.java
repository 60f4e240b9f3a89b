package dev.slipway.framework.api;

import dev.slipway.zk.App;
import dev.slipway.zk.AppStore;
import dev.slipway.zk.Conflict;
import dev.slipway.zk.NotFound;
import dev.slipway.zk.Release;
import dev.slipway.zk.ReleaseStore;
import dev.slipway.zk.Versioned;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code ps:restart}, as Heroku's Platform API names it: {@code DELETE /apps/{app}/dynos} restarts
 * every instance, {@code DELETE /apps/{app}/dynos/{dyno}} one ({@code web.2}) or a process type's
 * ({@code web}), {@code DELETE /apps/{app}/formation/{type}/dynos} a process type's. A restart raises
 * the restart generation of the type or slot in the app's record; the scheduler replaces every
 * instance launched at an older generation as a rolling deploy does, one slot of a type at a time,
 * the new instance ready before the old one leaves the routes. Stored in ZooKeeper, a restart goes
 * on after a framework failover.
 *
 * <p>{@code ps:stop}, {@code POST /apps/{app}/dynos/{dyno}/actions/stop} (a slot or a process type),
 * is a restart by kill, as Heroku's: the instances stop at once, without waiting for their
 * replacements, which the scheduler launches meanwhile because the slots are in the formation.
 */
final class Restarts {
    private static final Logger LOG = LoggerFactory.getLogger(Restarts.class);
    private static final Pattern SLOT = Pattern.compile("(.+)\\.([1-9][0-9]{0,3})");

    /** What a restart answers (202): the types and slots restarting. */
    record RestartBody(String app, List<String> restarting, String message) {
        RestartBody {
            restarting = List.copyOf(restarting);
        }
    }

    private final AppStore apps;
    private final ReleaseStore releases;
    private final Runnable changed;

    Restarts(AppStore apps, ReleaseStore releases, Runnable changed) {
        this.apps = apps;
        this.releases = releases;
        this.changed = changed;
    }

    void mount(Router router) {
        router.delete("/apps/:app/dynos").handler(ctx -> restart(ctx, null));
        router.delete("/apps/:app/dynos/:dyno").handler(ctx -> restart(ctx, ctx.pathParam("dyno")));
        router.delete("/apps/:app/formation/:type/dynos").handler(ctx -> restart(ctx, ctx.pathParam("type")));
        router.post("/apps/:app/dynos/:dyno/actions/stop").handler(this::stop);
    }

    /** Stops a slot ({@code web.2}) or a process type's instances at once; the formation brings new ones. */
    private void stop(RoutingContext ctx) {
        Handlers.respond(ctx, 202, () -> {
            Versioned<App> read = apps.require(AppsResource.app(ctx));
            App app = read.value();
            if (app.release() == 0) {
                throw new Conflict("app '" + app.name() + "' has no release yet, so nothing runs to stop: deploy it "
                        + "first");
            }
            Release release = releases.get(app.name(), app.release()).orElseThrow(() -> new Conflict(
                    "app '" + app.name() + "' names release v" + app.release() + ", which is not stored"));
            String target = checked(app, release, ctx.pathParam("dyno"));
            Matcher slot = SLOT.matcher(target);
            String type = slot.matches() ? slot.group(1) : target;
            int quantity = app.formation().getOrDefault(type, "web".equals(type) ? 1 : 0);
            AppsResource.write(apps, app.stopped(target, quantity), read.version());
            LOG.info("app {}: stopping {}", app.name(), target);
            changed.run();
            return new RestartBody(app.name(), List.of(target), "stopping " + target + ": its instances stop now, "
                    + "and new ones start in their place because " + type + " is scaled to " + quantity);
        });
    }

    /** Restarts {@code target}: a process type, a slot ({@code web.2}), or (null) every type of the release. */
    private void restart(RoutingContext ctx, String target) {
        Handlers.respond(ctx, 202, () -> {
            Versioned<App> read = apps.require(AppsResource.app(ctx));
            App app = read.value();
            if (app.release() == 0) {
                throw new Conflict("app '" + app.name() + "' has no release yet, so nothing runs to restart: deploy it "
                        + "first");
            }
            Release release = releases.get(app.name(), app.release()).orElseThrow(() -> new Conflict(
                    "app '" + app.name() + "' names release v" + app.release() + ", which is not stored"));
            List<String> targets = target == null ? release.processTypes().keySet().stream().sorted().toList()
                    : List.of(checked(app, release, target));
            App next = app;
            for (String each : targets) {
                next = next.restarted(each);
            }
            AppsResource.write(apps, next, read.version());
            LOG.info("app {}: restarting {}", app.name(), targets);
            changed.run();
            return new RestartBody(app.name(), targets, "restarting " + String.join(", ", targets)
                    + ": each instance is replaced by a new one, one at a time per process type, the new one "
                    + "ready before the old one stops");
        });
    }

    /** {@code target} if the release has that process type, or its slot is in the formation; else 404. */
    private static String checked(App app, Release release, String target) {
        Matcher slot = SLOT.matcher(target);
        String type = slot.matches() ? slot.group(1) : target;
        if (!release.processTypes().containsKey(type)) {
            throw new NotFound("app '" + app.name() + "' has no process type '" + type + "' in its release v"
                    + release.version() + " (it has: " + String.join(", ", release.processTypes().keySet()) + ")");
        }
        int quantity = app.formation().getOrDefault(type, "web".equals(type) ? 1 : 0);
        if (slot.matches() && Integer.parseInt(slot.group(2)) > quantity) {
            throw new NotFound("app '" + app.name() + "' has no dyno '" + target + "': its formation runs "
                    + (quantity == 0 ? "no " + type : type + ".1" + (quantity > 1 ? " to " + type + "." + quantity : "")));
        }
        return target;
    }

}
