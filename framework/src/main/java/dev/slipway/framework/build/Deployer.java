package dev.slipway.framework.build;

import dev.slipway.slug.Builds;
import dev.slipway.slug.CompiledSlug;
import dev.slipway.zk.App;
import dev.slipway.zk.AppStore;
import dev.slipway.zk.Conflict;
import dev.slipway.zk.Release;
import dev.slipway.zk.ReleaseStore;
import dev.slipway.zk.Versioned;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Source to running release: builds the uploaded source into a slug, then publishes the next
 * release in one ZooKeeper transaction. A failed build publishes nothing, so the app keeps
 * running its current release. One build per app at a time.
 */
public final class Deployer {
    private static final Logger LOG = LoggerFactory.getLogger(Deployer.class);

    private final AppStore apps;
    private final ReleaseStore releases;
    private final Builds builds;
    private final Runnable released;
    private final Clock clock;
    private final Set<String> building = ConcurrentHashMap.newKeySet();

    public Deployer(AppStore apps, ReleaseStore releases, Builds builds, Runnable released, Clock clock) {
        this.apps = apps;
        this.releases = releases;
        this.builds = builds;
        this.released = released;
        this.clock = clock;
    }

    /** Builds and releases {@code sourceTgz} as the next release of {@code app}. Blocking. */
    public Build deploy(String app, Path sourceTgz) throws IOException {
        apps.require(app);
        if (!building.add(app)) {
            throw new Conflict("a build of app '" + app + "' is already running: wait for it to finish");
        }
        String id = UUID.randomUUID().toString();
        List<String> output = Collections.synchronizedList(new ArrayList<>());
        try (InputStream source = Files.newInputStream(sourceTgz)) {
            LOG.info("build {} of app {} started ({} bytes of source)", id, app, Files.size(sourceTgz));
            CompiledSlug compiled = builds.build(app, source, output::add);
            Versioned<App> current = apps.require(app);
            Release release = new Release(current.value().release() + 1, compiled.slug().digest(),
                    compiled.slug().size(), compiled.processTypes(),
                    "Deploy " + compiled.slug().digest().substring(0, 12), clock.instant());
            releases.publish(current, release);
            LOG.info("app {} released v{} (slug {})", app, release.version(), release.slug());
            released.run();
            return new Build(id, "succeeded", release, List.copyOf(output));
        } catch (RuntimeException e) {
            LOG.info("build {} of app {} failed: {}", id, app, e.getMessage());
            throw e;
        } finally {
            building.remove(app);
        }
    }

    /** A finished build: its output and the release it made. */
    public record Build(String id, String status, Release release, List<String> output) {
    }
}
