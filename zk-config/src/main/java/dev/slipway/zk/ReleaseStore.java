package dev.slipway.zk;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.curator.framework.CuratorFramework;

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
        App current = app.value();
        if (release.version() != current.release() + 1) {
            throw new IllegalArgumentException("release v" + release.version() + " does not follow v" + current.release());
        }
        nodes.ensure(ZkPaths.releases(current.name()));
        App next = current.withRelease(release.version());
        nodes.transaction("publish release v" + release.version() + " of " + current.name(),
                nodes.createOp(ZkPaths.release(current.name(), release.version()), release),
                nodes.updateOp(ZkPaths.app(current.name()), next, app.version()));
        return new Versioned<>(next, app.version() + 1);
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
