package dev.slipway.zk;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.apache.curator.framework.CuratorFramework;

/**
 * The deployments of each app, under {@code /apps/<app>/deployments/<id>}, the last
 * {@value #KEPT} of each. The scheduler writes them (in its multis, see {@link StateWrite}); the
 * API reads them.
 */
public final class DeploymentStore {
    /** How many deployments of an app are kept. */
    public static final int KEPT = 50;

    private final Nodes nodes;

    public DeploymentStore(CuratorFramework zk) {
        this(new Nodes(zk));
    }

    DeploymentStore(Nodes nodes) {
        this.nodes = nodes;
    }

    /** The app's deployments, newest first. */
    public List<Deployment> list(String app) {
        return nodes.children(ZkPaths.deployments(app)).stream()
                .flatMap(name -> nodes.read(ZkPaths.child(ZkPaths.deployments(app), name), Deployment.class).stream())
                .map(Versioned::value)
                .sorted(Comparator.comparingInt(Deployment::id).reversed())
                .toList();
    }

    public Optional<Deployment> get(String app, int id) {
        return nodes.read(ZkPaths.deployment(app, id), Deployment.class).map(Versioned::value);
    }

    /** The app's newest deployment, if it has one. */
    public Optional<Deployment> latest(String app) {
        return nodes.children(ZkPaths.deployments(app)).stream().max(Comparator.naturalOrder())
                .flatMap(name -> nodes.read(ZkPaths.child(ZkPaths.deployments(app), name), Deployment.class))
                .map(Versioned::value);
    }

    /** Deletes all but the newest {@link #KEPT} deployments of the app. */
    public void prune(String app) {
        List<String> names = nodes.children(ZkPaths.deployments(app)).stream().sorted(Comparator.reverseOrder()).toList();
        names.stream().skip(KEPT).forEach(name -> nodes.delete(ZkPaths.child(ZkPaths.deployments(app), name)));
    }
}
