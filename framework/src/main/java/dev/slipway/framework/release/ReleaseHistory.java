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
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;
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
 *
 * <p>Whoever makes a release does so inside {@link #publishing}: from storing its slug (a build,
 * which may store a slug byte-identical to one another app's release is losing) or reading the
 * release it copies (a rollback) until the new release is stored. The slugs are scanned for and
 * deleted only while nobody is {@link #publishing}, so a slug a release is about to name is never
 * deleted between the scan and the delete. When someone is, the slugs are left for the next
 * trim (of any app) to collect: never waited for, so that no publisher waits on a collection.
 */
public final class ReleaseHistory {
    public static final int DEFAULT_KEEP = dev.slipway.framework.FrameworkConfig.DEFAULT_KEEP_RELEASES;
    private static final Logger LOG = LoggerFactory.getLogger(ReleaseHistory.class);

    private final AppStore apps;
    private final ReleaseStore releases;
    private final InstanceStore instances;
    private final SlugStore slugs;
    private final int keep;
    /** Read: releases being made; write: the slug collection. */
    private final ReentrantReadWriteLock fence = new ReentrantReadWriteLock();
    /** Slugs whose releases fell out while a release was being made: collected by a later trim. */
    private final Set<String> deferred = ConcurrentHashMap.newKeySet();

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
     * Makes a release: {@code work} stores or finds its slug and publishes it, and no slug is
     * deleted meanwhile. Publishers run side by side; call {@link #trim} after, not within.
     */
    public <T> T publishing(Supplier<T> work) {
        fence.readLock().lock();
        try {
            return work.get();
        } finally {
            fence.readLock().unlock();
        }
    }

    /**
     * Trims {@code app}'s history to its last {@link #keep()} releases and deletes the slugs that
     * fell out with them (and any an earlier trim had to leave) that nothing else uses. Returns the
     * versions removed. Blocking.
     */
    public List<Integer> trim(String app) {
        // The records of ended instances (kept for `ps --all`) spare nothing: none of them runs again.
        Set<Integer> live = instances.list(app).stream().filter(instance -> !instance.state().terminal())
                .map(Instance::release).collect(Collectors.toSet());
        List<Release> removed = releases.trim(app, keep, live);
        removed.forEach(release -> deferred.add(release.slug()));
        collect(app);
        if (removed.isEmpty()) {
            return List.of();
        }
        List<Integer> versions = removed.stream().map(Release::version).toList();
        LOG.info("app {}: removed releases {} (the history keeps the last {})", app, versions, keep);
        return versions;
    }

    /**
     * Deletes those of {@code candidates} (the slugs of a destroyed app's releases) that no release
     * of any app names: now, unless a release is being made, else at a later trim. Returns how
     * many were deleted now. Blocking.
     */
    public int collect(Set<String> candidates) {
        deferred.addAll(candidates);
        return collect("(destroyed)");
    }

    /** The slugs waiting to be collected (tests). */
    Set<String> deferred() {
        return Set.copyOf(deferred);
    }

    /** Deletes the candidate slugs no release names, unless a release is being made (then later). */
    private int collect(String app) {
        if (deferred.isEmpty()) {
            return 0;
        }
        if (!fence.writeLock().tryLock()) {
            LOG.debug("app {}: slugs {} left for a later trim: a release is being made", app, deferred);
            return 0;
        }
        int deleted = 0;
        try {
            Set<String> candidates = new HashSet<>(deferred);
            // Scanned while no release is being made: each release that will name one of them
            // stores its slug again, or is seen here.
            Set<String> used = slugsInUse();
            for (String slug : candidates) {
                deferred.remove(slug);
                if (!used.contains(slug) && slugs.delete(slug)) {
                    deleted++;
                    LOG.info("app {}: deleted slug {}, which no kept release uses", app, slug);
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("app {}: slugs not collected this time: {}", app, e.getMessage());
        } finally {
            fence.writeLock().unlock();
        }
        return deleted;
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
