package dev.slipway.framework.release;

import dev.slipway.slug.SlugStore;
import dev.slipway.zk.App;
import dev.slipway.zk.AppStore;
import dev.slipway.zk.Instance;
import dev.slipway.zk.InstanceStore;
import dev.slipway.zk.Release;
import dev.slipway.zk.ReleaseStore;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps each app's release history bounded: past the last {@code keep} releases (50 by default),
 * older release records are removed, and then the slugs no remaining release of any app uses are
 * deleted from the slug store. A release a live instance (any instance record in ZooKeeper) runs is
 * kept beyond the bound, so neither it nor its slug is ever removed from under an instance.
 * Slugs are content-addressed and may be shared by apps: a slug is deleted only when no release of
 * any app names it.
 */
public final class ReleaseHistory {
    public static final int DEFAULT_KEEP = dev.slipway.framework.FrameworkConfig.DEFAULT_KEEP_RELEASES;
    private static final Logger LOG = LoggerFactory.getLogger(ReleaseHistory.class);

    private final AppStore apps;
    private final ReleaseStore releases;
    private final InstanceStore instances;
    private final SlugStore slugs;
    private final int keep;

    public ReleaseHistory(AppStore apps, ReleaseStore releases, InstanceStore instances, SlugStore slugs, int keep) {
        if (keep < 1) {
            throw new IllegalArgumentException("the release history keeps at least 1 release per app, not " + keep);
        }
        this.apps = apps;
        this.releases = releases;
        this.instances = instances;
        this.slugs = slugs;
        this.keep = keep;
    }

    /** How many releases each app keeps. */
    public int keep() {
        return keep;
    }

    /**
     * Trims {@code app}'s history to its last {@link #keep()} releases and deletes the slugs that
     * fell out with them and that nothing else uses. Returns the versions removed. Blocking.
     */
    public List<Integer> trim(String app) {
        Set<Integer> live = instances.list(app).stream().map(Instance::release).collect(Collectors.toSet());
        List<Release> removed = releases.trim(app, keep, live);
        if (removed.isEmpty()) {
            return List.of();
        }
        Set<String> candidates = removed.stream().map(Release::slug).collect(Collectors.toSet());
        candidates.removeAll(slugsInUse());
        for (String slug : candidates) {
            if (slugs.delete(slug)) {
                LOG.info("app {}: deleted slug {}, which no kept release uses", app, slug);
            }
        }
        List<Integer> versions = removed.stream().map(Release::version).toList();
        LOG.info("app {}: removed releases {} (the history keeps the last {})", app, versions, keep);
        return versions;
    }

    /** The slugs of every stored release of every app, and those live instances' releases name. */
    private Set<String> slugsInUse() {
        Set<String> used = new HashSet<>();
        for (App app : apps.list()) {
            releases.list(app.name()).forEach(release -> used.add(release.slug()));
        }
        return used;
    }
}
