package dev.slipway.framework.release;

import dev.slipway.framework.events.EventSink;
import dev.slipway.framework.events.EventTypes;
import dev.slipway.zk.App;
import dev.slipway.zk.AppStore;
import dev.slipway.zk.ConfigStore;
import dev.slipway.zk.ConfigVars;
import dev.slipway.zk.Release;
import dev.slipway.zk.ReleaseStore;
import dev.slipway.zk.Versioned;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Releases that need no build: a change of config vars ("Set DATABASE_URL, FOO", "Unset FOO") and
 * a rollback ("Rollback to v3"), each the app's next release with the current slug (or the
 * target's), published in one versioned transaction with the app's config vars and rolled out by
 * the scheduler like any release. An app without a release only has its config stored, which its
 * first release (a build) takes. Blocking: call it off the event loop.
 */
public final class Releaser {
    private static final Logger LOG = LoggerFactory.getLogger(Releaser.class);

    private final AppStore apps;
    private final ConfigStore config;
    private final ReleaseStore releases;
    private final ReleaseHistory history;
    private final EventSink events;
    private final Runnable released;
    private final Clock clock;

    /** {@code released} is told after each new release (the scheduler plans its rollout). */
    public Releaser(AppStore apps, ReleaseStore releases, ReleaseHistory history, EventSink events, Runnable released,
                    Clock clock) {
        this.apps = apps;
        this.config = apps.config();
        this.releases = releases;
        this.history = history;
        this.events = events;
        this.released = released;
        this.clock = clock;
    }

    /** What a change made: the app's config vars now, and the release that carries them (null without one). */
    public record Change(ConfigVars config, Release release) {
    }

    /** The app's config vars. */
    public ConfigVars config(String app) {
        apps.require(app);
        return config.get(app).value();
    }

    /**
     * Applies {@code changes} (a name to its new value, or to null to unset it) to the app's config
     * vars, as {@code user} (who the release names). Nothing changes (and no release is made) when
     * every var already has that value.
     *
     * @throws IllegalArgumentException naming the var, when a name or value is not allowed
     * @throws dev.slipway.zk.Conflict  when another change, build or rollback won the race
     */
    public Change change(String app, Map<String, String> changes, String user) {
        String problem = ConfigVars.problem(new TreeMap<>(withoutNulls(changes)));
        for (String name : new TreeMap<>(changes).keySet()) {
            String nameProblem = ConfigVars.nameProblem(name);
            if (nameProblem != null) {
                throw new IllegalArgumentException(nameProblem);
            }
        }
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        Change change = history.publishing(() -> changeFenced(app, changes, user));
        if (change.release() != null) {
            history.trim(app);
        }
        return change;
    }

    private Change changeFenced(String app, Map<String, String> changes, String user) {
        Versioned<App> current = apps.require(app);
        Versioned<ConfigVars> before = config.get(app);
        ConfigVars next = before.value().with(changes);
        if (next.equals(before.value())) {
            return new Change(next, current.value().release() == 0 ? null
                    : releases.get(app, current.value().release()).orElse(null));
        }
        if (current.value().release() == 0) {
            config.set(current, next, before.version());
            LOG.info("app {}: config vars {} stored for its first release", app, describe(before.value(), next));
            return new Change(next, null);
        }
        Release latest = releases.get(app, current.value().release()).orElseThrow(() ->
                new dev.slipway.zk.NotFound("release v" + current.value().release() + " of app '" + app + "' is gone"));
        Release release = latest.next(current.value().release() + 1, next.vars(), describe(before.value(), next),
                clock.instant(), user);
        publish(current, release, before);
        return new Change(next, release);
    }

    /**
     * A new release with {@code target}'s slug and config vars, described "Rollback to v3"; the
     * formation is the app's and stays as it is. Made by {@code user}.
     *
     * @throws IllegalArgumentException when there is no such release, or it was collected
     */
    public Release rollback(String app, int target, String user) {
        Release release = history.publishing(() -> rollbackFenced(app, target, user));
        history.trim(app);
        return release;
    }

    private Release rollbackFenced(String app, int target, String user) {
        Versioned<App> current = apps.require(app);
        int latest = current.value().release();
        if (target < 1 || target > latest) {
            throw new IllegalArgumentException("app '" + app + "' has no release v" + target + (latest == 0
                    ? " (it has no releases yet)" : " (its latest is v" + latest + ")"));
        }
        Release old = releases.get(app, target).orElseThrow(() -> new IllegalArgumentException("release v" + target
                + " of app '" + app + "' was collected: only the last " + history.keep()
                + " releases are kept (`slipway releases` lists them)"));
        return publish(current, old.next(latest + 1, old.userConfig(), "Rollback to v" + target, clock.instant(),
                        user),
                config.get(app));
    }

    /**
     * A new release of the stored slug {@code slug} (the one of the app's latest release that has
     * it) with the app's current config vars, made by {@code user}.
     *
     * @throws IllegalArgumentException when no kept release of the app has that slug
     */
    public Release releaseSlug(String app, String slug, String user) {
        Release release = history.publishing(() -> releaseSlugFenced(app, slug, user));
        history.trim(app);
        return release;
    }

    private Release releaseSlugFenced(String app, String slug, String user) {
        Versioned<App> current = apps.require(app);
        List<Release> all = releases.list(app);
        Release with = null;
        for (Release release : all) {
            if (release.slug().equals(slug)) {
                with = release;
            }
        }
        if (with == null) {
            throw new IllegalArgumentException("slug: no kept release of app '" + app + "' has slug '" + slug
                    + "' (`slipway releases` lists them)");
        }
        Versioned<ConfigVars> vars = config.get(app);
        return publish(current, with.next(current.value().release() + 1, vars.value().vars(),
                "Deploy " + slug.substring(0, Math.min(12, slug.length())), clock.instant(), user), vars);
    }

    private Release publish(Versioned<App> app, Release release, Versioned<ConfigVars> before) {
        String name = app.value().name();
        try {
            releases.publish(app, release, before);
        } catch (dev.slipway.zk.Conflict e) {
            throw new dev.slipway.zk.Conflict("app '" + name + "' was changed by another request while this one ran"
                    + " (a config change, a build or a rollback): nothing was written; read it again and retry");
        }
        LOG.info("app {} released v{} (slug {}) by {}: {}", name, release.version(), release.slug(), release.user(),
                release.description());
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("release", release.version());
        fields.put("slug", release.slug());
        fields.put("description", release.description());
        if (release.user() != null) {
            fields.put("user", release.user());
        }
        fields.put("message", "Release v" + release.version() + " created (" + release.description() + ")");
        events.publish(EventTypes.RELEASE_CREATED, name, fields);
        released.run();
        return release;
    }

    /** "Set A, B; Unset C": names only, never values. */
    static String describe(ConfigVars before, ConfigVars after) {
        List<String> set = after.vars().keySet().stream()
                .filter(name -> !after.vars().get(name).equals(before.vars().get(name))).sorted().toList();
        List<String> unset = before.vars().keySet().stream().filter(name -> !after.vars().containsKey(name))
                .sorted().toList();
        StringBuilder text = new StringBuilder();
        if (!set.isEmpty()) {
            text.append("Set ").append(String.join(", ", set));
        }
        if (!unset.isEmpty()) {
            text.append(text.isEmpty() ? "" : "; ").append("Unset ").append(String.join(", ", unset));
        }
        return text.toString();
    }

    private static Map<String, String> withoutNulls(Map<String, String> changes) {
        Map<String, String> set = new TreeMap<>();
        changes.forEach((name, value) -> {
            if (value != null && ConfigVars.nameProblem(name) == null) {
                set.put(name, value);
            }
        });
        return set;
    }
}
