package dev.slipway.zk;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.apache.curator.framework.CuratorFramework;

/**
 * The build records of each app, under {@code /apps/<app>/builds/<id>}: small JSON, the last
 * few per app (see {@link #prune}). Each record has one writer, the build itself, so records are
 * overwritten rather than version-checked.
 */
public final class BuildStore {
    private static final Comparator<Build> NEWEST_FIRST = Comparator.comparing(Build::createdAt).reversed()
            .thenComparing(Build::id);

    private final Nodes nodes;

    public BuildStore(CuratorFramework zk) {
        this(new Nodes(zk));
    }

    BuildStore(Nodes nodes) {
        this.nodes = nodes;
    }

    /** Stores a new build of an existing app; {@link NotFound} if there is no such app. */
    public Build create(Build build) {
        if (nodes.read(ZkPaths.app(build.app()), App.class).isEmpty()) {
            throw new NotFound("app '" + build.app() + "' does not exist");
        }
        nodes.ensure(ZkPaths.builds(build.app()));
        nodes.create(ZkPaths.build(build.app(), build.id()), build);
        return build;
    }

    /** Overwrites a stored build with its new state. */
    public Build put(Build build) {
        nodes.put(ZkPaths.build(build.app(), build.id()), build);
        return build;
    }

    public Optional<Build> get(String app, String id) {
        if (!Build.isId(id)) {
            return Optional.empty();
        }
        return nodes.read(ZkPaths.build(app, id), Build.class).map(Versioned::value);
    }

    /** The build, or {@link NotFound} naming it. */
    public Build require(String app, String id) {
        return get(app, id).orElseThrow(() -> new NotFound("app '" + app + "' has no build " + id));
    }

    /** The app's builds, newest first. */
    public List<Build> list(String app) {
        List<Build> builds = new ArrayList<>();
        for (String id : nodes.children(ZkPaths.builds(app))) {
            // A record pruned between listing and reading is simply gone.
            get(app, id).ifPresent(builds::add);
        }
        builds.sort(NEWEST_FIRST);
        return builds;
    }

    /** Every pending build of every app: at start-up, the builds the last run left unfinished. */
    public List<Build> pending() {
        return nodes.children(ZkPaths.APPS).stream()
                .flatMap(app -> list(app).stream())
                .filter(b -> b.status() == BuildStatus.PENDING)
                .toList();
    }

    /**
     * Removes the app's finished builds beyond the {@code keep} newest and returns them, so that
     * their output can go too. Pending builds are never removed.
     */
    public List<Build> prune(String app, int keep) {
        if (keep < 0) {
            throw new IllegalArgumentException("keep must not be negative");
        }
        List<Build> builds = list(app);
        List<Build> removed = new ArrayList<>();
        for (Build build : builds.subList(Math.min(keep, builds.size()), builds.size())) {
            if (build.status() != BuildStatus.PENDING) {
                nodes.delete(ZkPaths.build(app, build.id()));
                removed.add(build);
            }
        }
        return removed;
    }
}
