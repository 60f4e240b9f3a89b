package dev.slipway.zk;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.api.transaction.CuratorOp;

/** The immutable releases of each app, under {@code /apps/<app>/releases}. */
public final class ReleaseStore {
    private final Nodes nodes;

    public ReleaseStore(CuratorFramework zk) {
        this.nodes = new Nodes(zk);
    }

    /**
     * Stores {@code release} and makes it the app's current release in one transaction, so that
     * there is never a release without its app pointing at it, nor an app pointing at nothing.
     * {@link Conflict} when the app changed since it was read (another deploy won the race).
     */
    public Versioned<App> publish(Versioned<App> app, Release release) {
        return publish(app, release, List.of());
    }

    /**
     * As {@link #publish(Versioned, Release)}, also storing the release's {@link Release#userConfig()}
     * as the app's config vars, in the same transaction, only if they are still at
     * {@code config}'s version (-1: none stored yet): a config change, a rollback or a build that
     * raced another of them is a {@link Conflict}, and nothing of it is written.
     */
    public Versioned<App> publish(Versioned<App> app, Release release, Versioned<ConfigVars> config) {
        return publish(app, release, List.of(ConfigStore.writeOp(nodes, app.value().name(),
                new ConfigVars(release.userConfig()), config.version())));
    }

    private Versioned<App> publish(Versioned<App> app, Release release, List<CuratorOp> more) {
        App current = app.value();
        if (release.version() != current.release() + 1) {
            throw new IllegalArgumentException("release v" + release.version() + " does not follow v" + current.release());
        }
        nodes.ensure(ZkPaths.releases(current.name()));
        App next = current.withRelease(release.version());
        List<CuratorOp> ops = new java.util.ArrayList<>(List.of(
                nodes.createOp(ZkPaths.release(current.name(), release.version()), release),
                nodes.updateOp(ZkPaths.app(current.name()), next, app.version())));
        ops.addAll(more);
        nodes.transaction("publish release v" + release.version() + " of " + current.name(),
                ops.toArray(CuratorOp[]::new));
        return new Versioned<>(next, app.version() + 1);
    }

    /**
     * Removes the app's oldest releases so that at most {@code keep} remain, never one of the
     * newest {@code keep} (the current one among them) nor one in {@code spared} (those instances
     * run): a spared old release stays, and the history is longer than {@code keep} until it is
     * no longer spared. Returns the releases removed, oldest first.
     */
    public List<Release> trim(String app, int keep, java.util.Set<Integer> spared) {
        if (keep < 1) {
            throw new IllegalArgumentException("at least one release is kept");
        }
        List<String> names = nodes.children(ZkPaths.releases(app));
        List<Release> removed = new java.util.ArrayList<>();
        // Only the releases older than the newest `keep` are candidates: skipping a spared one must
        // never reach a newer release (once it did, and deleted a release just made, with its slug).
        for (String name : names.subList(0, Math.max(0, names.size() - keep))) {
            String path = ZkPaths.child(ZkPaths.releases(app), name);
            Optional<Release> release = nodes.read(path, Release.class).map(Versioned::value);
            if (release.isEmpty() || spared.contains(release.get().version())) {
                continue;
            }
            if (nodes.delete(path)) {
                removed.add(release.get());
            }
        }
        return removed;
    }

    public Optional<Release> get(String app, int version) {
        return nodes.read(ZkPaths.release(app, version), Release.class).map(Versioned::value);
    }

    /** The releases of these apps at these versions, by app, those that exist, read together. */
    public Map<String, Release> get(Map<String, Integer> versions) {
        List<String> apps = List.copyOf(versions.keySet());
        List<String> paths = apps.stream().map(app -> ZkPaths.release(app, versions.get(app))).toList();
        Map<String, Versioned<Release>> read = nodes.readMany(paths, Release.class, "read " + paths.size()
                + " releases");
        Map<String, Release> byApp = new HashMap<>();
        for (int i = 0; i < apps.size(); i++) {
            Versioned<Release> release = read.get(paths.get(i));
            if (release != null) {
                byApp.put(apps.get(i), release.value());
            }
        }
        return byApp;
    }

    /** The app's releases, oldest first. */
    public List<Release> list(String app) {
        return nodes.children(ZkPaths.releases(app)).stream()
                .flatMap(name -> nodes.read(ZkPaths.releases(app) + "/" + name, Release.class).stream())
                .map(Versioned::value)
                .toList();
    }
}
