package dev.slipway.framework.api;

import dev.slipway.framework.logs.DynoEvents;
import dev.slipway.zk.App;
import dev.slipway.zk.Deployment;
import dev.slipway.zk.Build;
import dev.slipway.zk.Instance;
import dev.slipway.zk.Release;
import dev.slipway.zk.Size;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/** The JSON bodies of the API (snake_case on the wire). */
final class Bodies {
    private Bodies() {
    }

    /** {@code team}: the team the app belongs to; null for the caller's only team. */
    record CreateApp(String name, String team) {
    }

    /** An app's team, as Heroku shows it (an object). */
    record TeamRef(String name) {
    }

    /**
     * {@code kill_grace_seconds} is what applies, the app's own or the framework's default;
     * {@code kill_grace_default} says which.
     */
    /**
     * {@code running_release}: the last release that became healthy (what serves, and what a
     * restart brings back), null before any did; {@code release} is the newest, which may still be
     * deploying or have failed.
     */
    record AppBody(String name, String webUrl, Integer release, Integer runningRelease, Map<String, Integer> formation,
                   int killGraceSeconds, boolean killGraceDefault, int deployTimeoutSeconds,
                   boolean deployTimeoutDefault, Instant createdAt, TeamRef team) {
        static AppBody of(App app, String webUrl, int defaultKillGraceSeconds, Deployment latest) {
            int running = latest == null ? app.release() : latest.running();
            return new AppBody(app.name(), webUrl, app.release() == 0 ? null : app.release(),
                    running == 0 ? null : running, app.formation(),
                    app.killGraceSecondsOr(defaultKillGraceSeconds), app.killGraceSeconds() == null,
                    app.deployTimeoutSecondsOrDefault(), app.deployTimeoutSeconds() == null, app.createdAt(),
                    app.team() == null ? null : new TeamRef(app.team()));
        }
    }

    /**
     * {@code config_var_names}: the names of the config vars set in every instance's environment
     * (the buildpacks' defaults and the app's own). Never their values: config vars are shown nowhere but by the app's own
     * config vars.
     */
    record ReleaseBody(int version, SlugRef slug, Map<String, String> processTypes, List<String> configVarNames,
                       String description, Instant createdAt, Boolean current, String deployment, UserRef user) {
        static ReleaseBody of(Release release) {
            return of(release, null, null);
        }

        /**
         * {@code current}: whether it is the app's running release (the last that became healthy);
         * {@code deployment}: the state of its deployment (succeeded, failed, rolled_back...), null
         * when none is kept.
         */
        static ReleaseBody of(Release release, Boolean current, String deployment) {
            return new ReleaseBody(release.version(), new SlugRef(release.slug(), release.slugSize()),
                    new TreeMap<>(release.processTypes()), List.copyOf(release.configVarNames()),
                    release.description(), release.createdAt(), current, deployment,
                    release.user() == null ? null : new UserRef(release.user()));
        }
    }

    /** Who made a release, as Heroku's {@code user} object (Slipway's users have a name, no email). */
    record UserRef(String name) {
    }

    record SlugRef(String id, long size) {
    }

    /**
     * A build as Heroku's build API shows it: {@code release} and {@code finished_at} are null
     * until it succeeds or ends, {@code error} is null unless it failed.
     */
    record BuildBody(String id, String app, String status, String outputStreamUrl, ReleaseBody release, String error,
                     Instant createdAt, Instant finishedAt, String sourceChecksum) {
        static BuildBody of(Build build, String outputStreamUrl, Release release) {
            return new BuildBody(build.id(), build.app(), build.status().name().toLowerCase(Locale.ROOT),
                    outputStreamUrl, release == null ? null : ReleaseBody.of(release),
                    build.error().isEmpty() ? null : build.error(), build.createdAt(), build.finishedAt(),
                    build.sourceChecksum().isEmpty() ? null : build.sourceChecksum());
        }
    }

    /** One of an app's buildpacks; {@code ordinal} counts from 1, in the order they run. */
    record BuildpackBody(int ordinal, String buildpack) {
    }

    /** {@code PUT /apps/{app}/buildpacks}: the whole new list, in order; empty to detect. */
    record BuildpacksUpdate(List<String> buildpacks) {
    }

    /**
     * One row of {@code ps}. A crashed slot that backs off carries when it is tried again
     * ({@code next_try_at}, and {@code next_try_in_seconds} by the framework's clock); null otherwise.
     */
    record DynoBody(String name, String type, String state, int release, boolean healthy, String host, int port,
                    String taskId, String message, Instant updatedAt, Instant nextTryAt, Long nextTryInSeconds,
                    Integer exitCode) {
        /** A dyno of the formation, which has no exit code to show. */
        DynoBody(String name, String type, String state, int release, boolean healthy, String host, int port,
                 String taskId, String message, Instant updatedAt, Instant nextTryAt, Long nextTryInSeconds) {
            this(name, type, state, release, healthy, host, port, taskId, message, updatedAt, nextTryAt,
                    nextTryInSeconds, null);
        }

        /** An instance as a dyno; an ended one-off ({@code run.N}) with its command's exit code. */
        static DynoBody of(Instance instance) {
            return new DynoBody(instance.name(), instance.process(), DynoEvents.state(instance), instance.release(),
                    instance.healthy(), instance.host(), instance.port(), instance.taskId(), instance.message(),
                    instance.updatedAt(), null, null,
                    dev.slipway.framework.deploy.OneOff.is(instance) ? dev.slipway.framework.deploy.OneOff.exitCode(instance)
                            : null);
        }
    }

    /** A process type's row: {@code constraints} in Marathon's colon form, empty when it has none. */
    /**
     * One process type of the formation, with the size its instances get: {@code size} is the
     * size's name, null for one given as cpus and memory.
     */
    record FormationBody(String type, int quantity, String command, List<String> constraints, String size,
                         double cpus, int memoryMb) {
        static FormationBody of(String type, int quantity, String command, List<String> constraints, Size size) {
            return new FormationBody(type, quantity, command, constraints, size.name(), size.cpus(), size.memoryMb());
        }
    }

    /**
     * A formation update: any of a new quantity, new constraints (empty: none), and a new size, by
     * name ({@code size}) or as {@code cpus} and {@code memory_mb}.
     */
    record ScaleBody(Integer quantity, List<Object> constraints, String size, Double cpus, Double memoryMb) {
    }
}
