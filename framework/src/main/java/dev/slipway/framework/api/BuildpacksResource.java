package dev.slipway.framework.api;

import dev.slipway.framework.api.Bodies.BuildpackBody;
import dev.slipway.framework.api.Bodies.BuildpacksUpdate;
import dev.slipway.slug.BuildpackReference;
import dev.slipway.zk.App;
import dev.slipway.zk.AppStore;
import dev.slipway.zk.Versioned;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /apps/{app}/buildpacks}: the buildpacks an app's next builds run, in order (Heroku's
 * buildpack installations). An empty list means the app's {@code .buildpacks} file or detection.
 */
final class BuildpacksResource {
    static final int MAX_BUILDPACKS = App.MAX_BUILDPACKS;
    private static final Logger LOG = LoggerFactory.getLogger(BuildpacksResource.class);

    private final AppStore apps;

    BuildpacksResource(AppStore apps) {
        this.apps = apps;
    }

    void mount(Router router) {
        router.get("/apps/:app/buildpacks").handler(ctx -> Handlers.respond(ctx, 200,
                () -> bodies(apps.require(AppsResource.app(ctx)).value().buildpacks())));
        router.put("/apps/:app/buildpacks").handler(this::replace);
    }

    private void replace(RoutingContext ctx) {
        Handlers.respond(ctx, 200, () -> {
            Versioned<App> app = apps.require(AppsResource.app(ctx));
            BuildpacksUpdate update = Handlers.body(ctx, BuildpacksUpdate.class);
            if (update.buildpacks() == null) {
                throw new Invalid(422, "the body needs \"buildpacks\": the list of buildpacks, in order (empty to "
                        + "detect)");
            }
            List<String> buildpacks = validate(update.buildpacks());
            AppsResource.write(apps, app.value().withBuildpacks(buildpacks), app.version());
            // References may hold credentials (https://user:token@...): the count only.
            LOG.info("app {}: buildpacks set ({} of them)", app.value().name(), buildpacks.size());
            return bodies(buildpacks);
        });
    }

    /** The references as stored: each one parsed, directories absolute, none twice. */
    static List<String> validate(List<String> references) {
        if (references.size() > MAX_BUILDPACKS) {
            throw new Invalid(422, "an app can have at most " + MAX_BUILDPACKS + " buildpacks, not "
                    + references.size());
        }
        List<String> valid = new ArrayList<>();
        for (int i = 0; i < references.size(); i++) {
            String given = references.get(i);
            String which = "buildpack " + (i + 1) + (given == null || given.isBlank() ? "" : " (" + shortened(given) + ")");
            if (given != null && given.length() > App.MAX_BUILDPACK_LENGTH) {
                throw new Invalid(422, which + " is longer than " + App.MAX_BUILDPACK_LENGTH + " characters");
            }
            BuildpackReference reference;
            try {
                reference = BuildpackReference.parse(given);
            } catch (IllegalArgumentException e) {
                throw new Invalid(422, which + " is not valid: " + e.getMessage());
            }
            if (reference.kind() == BuildpackReference.Kind.DIRECTORY && !Path.of(reference.text()).isAbsolute()) {
                throw new Invalid(422, which + " is a relative path: give the absolute path of a directory on the "
                        + "machine that runs the builds");
            }
            if (valid.contains(reference.text())) {
                throw new Invalid(422, which + " is listed twice");
            }
            valid.add(reference.text());
        }
        return List.copyOf(valid);
    }

    private static List<BuildpackBody> bodies(List<String> buildpacks) {
        return IntStream.range(0, buildpacks.size()).mapToObj(i -> new BuildpackBody(i + 1, buildpacks.get(i))).toList();
    }

    private static String shortened(String text) {
        String printable = text.strip().replaceAll("\\p{Cntrl}", "?");
        return printable.length() > 100 ? printable.substring(0, 100) + "..." : printable;
    }
}
