package dev.slipway.framework.build;

import dev.slipway.slug.Builds;
import dev.slipway.slug.CompiledSlug;
import dev.slipway.zk.App;
import dev.slipway.framework.release.ReleaseHistory;
import dev.slipway.zk.AppStore;
import dev.slipway.zk.ConfigVars;
import dev.slipway.zk.Release;
import dev.slipway.zk.ReleaseStore;
import dev.slipway.zk.Versioned;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Source to release: builds uploaded source into a slug with the app's buildpacks, then publishes
 * the next release (with the config vars the buildpacks asked for) in one ZooKeeper transaction.
 * A failed build publishes nothing, so the app keeps running its current release. Blocking; the
 * {@link BuildQueue} calls it on its own threads, one build per app at a time.
 */
public final class Deployer {
    private static final Logger LOG = LoggerFactory.getLogger(Deployer.class);

    private final AppStore apps;
    private final ReleaseStore releases;
    private final Builds builds;
    private final Runnable released;
    private final Clock clock;
    private final ReleaseHistory history;

    /**
     * {@code released} is told after each new release (the scheduler plans its rollout);
     * {@code history} is trimmed after it.
     */
    public Deployer(AppStore apps, ReleaseStore releases, Builds builds, ReleaseHistory history, Runnable released,
                    Clock clock) {
        this.apps = apps;
        this.releases = releases;
        this.builds = builds;
        this.history = history;
        this.released = released;
        this.clock = clock;
    }

    /** The history this deployer's releases are kept in (and config changes' and rollbacks' too). */
    public ReleaseHistory history() {
        return history;
    }

    /**
     * Builds {@code sourceTgz} and releases it as the next release of {@code app}, writing the
     * build's output to {@code output} line by line as it comes.
     *
     * @throws dev.slipway.slug.InvalidSource when the upload is not a usable source archive
     * @throws dev.slipway.slug.BuildFailed   when the source does not build
     * @throws dev.slipway.zk.NotFound        when the app is gone
     * @throws dev.slipway.zk.Conflict        when the app changed while its release was written
     * @throws UncheckedIOException          on an I/O failure of this machine
     */
    public Release deploy(String app, Path sourceTgz, Consumer<String> output, String user) {
        return deploy(app, sourceTgz, output, user, release -> { });
    }

    /**
     * The same, telling {@code released} of the new release once it is stored and before the
     * scheduler is asked to roll it out, so that whoever hears of it does so before any instance
     * of it starts. The release is made by {@code user} (the API user who uploaded or pushed).
     */
    public Release deploy(String app, Path sourceTgz, Consumer<String> output, String user,
                          Consumer<Release> released) {
        // From storing the slug (maybe one another app's release is losing) until the release names it.
        Release release = history.publishing(() -> build(app, sourceTgz, output, user, released));
        history.trim(app);
        return release;
    }

    private Release build(String app, Path sourceTgz, Consumer<String> output, String user,
                          Consumer<Release> released) {
        App before = apps.require(app).value();
        // The buildpacks get the app's config vars (ENV_DIR); its release carries those stored when it is made.
        Map<String, String> buildConfig = apps.config().get(app).value().vars();
        CompiledSlug compiled;
        try (InputStream source = Files.newInputStream(sourceTgz)) {
            compiled = builds.build(app, source, output, buildConfig, before.buildpacks());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the uploaded source " + sourceTgz, e);
        }
        Versioned<App> current = apps.require(app);
        Versioned<ConfigVars> config = apps.config().get(app);
        Release release;
        try {
            release = new Release(current.value().release() + 1, compiled.slug().digest(),
                    compiled.slug().size(), compiled.processTypes(), compiled.configVars(), compiled.healthChecks(),
                    "Deploy " + compiled.slug().digest().substring(0, 12), clock.instant(), config.value().vars(), user);
        } catch (IllegalArgumentException e) {
            // Past a release's bounds (process types, config vars): say which, as the build's failure.
            output.accept(" !     " + e.getMessage());
            throw new dev.slipway.slug.BuildFailed(e.getMessage(), e);
        }
        releases.publish(current, release, config);
        LOG.info("app {} released v{} (slug {}) by {}", app, release.version(), release.slug(), user);
        released.accept(release);
        this.released.run();
        return release;
    }
}
