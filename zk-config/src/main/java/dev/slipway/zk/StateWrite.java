package dev.slipway.zk;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Set;
import java.util.List;
import java.util.Optional;
import java.util.Map;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.api.transaction.CuratorOp;
import org.apache.curator.framework.api.transaction.CuratorTransactionResult;
import org.apache.curator.framework.api.transaction.OperationType;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;

/**
 * The scheduler's writes of one decision as one ZooKeeper multi: instances (version-checked, so
 * that a second writer, such as a deposed leader, fails instead of overwriting) and routes, all
 * or nothing. Instances and routes change together, so that whoever reads them (the API, the
 * router) never sees an instance up without its route, nor a route to an instance stopping.
 * A write too large for one request (thousands of launches in one offer round) is sent as
 * several multis in order, each all or nothing; the caller orders each app's instances before
 * its route, so that a cut falls between apps more often than within one.
 */
public final class StateWrite {
    /** The version of an instance not stored yet: it is created. */
    public static final int NEW = -1;

    private final Nodes nodes;
    /**
     * The largest multi sent, in bytes of data: far below ZooKeeper's 1 MB request limit
     * (jute.maxbuffer). A larger write is sent as several multis, in order.
     */
    static final int MAX_MULTI_BYTES = 512 * 1024;
    /** What an operation costs beyond its data: path, type, version. */
    private static final int OP_OVERHEAD_BYTES = 256;

    private final List<CuratorOp> ops = new ArrayList<>();
    /** The election node every multi checks first, null for none. */
    private String fence;
    private final List<Integer> sizes = new ArrayList<>();
    /** Task ids written (not deleted), whose new versions {@link #commit()} returns. */
    private final Set<String> written = new HashSet<>();

    public StateWrite(CuratorFramework zk) {
        this.nodes = new Nodes(zk);
    }

    /** Creates the instance ({@code version} {@link #NEW}) or updates it if it is still at {@code version}. */
    public StateWrite putInstance(Instance instance, int version) {
        write(ZkPaths.task(instance.taskId()), nodes.encode(instance), version == NEW, version);
        written.add(instance.taskId());
        return this;
    }

    /** Deletes the instance if it is still at {@code version}. */
    public StateWrite deleteInstance(String taskId, int version) {
        try {
            add(nodes.curator().transactionOp().delete().withVersion(version).forPath(ZkPaths.task(taskId)), 0);
        } catch (Exception e) {
            throw Nodes.translate("prepare delete of task " + taskId, e);
        }
        return this;
    }

    /** Writes the app's route: creates its node when {@code exists} is false, else overwrites it. */
    public StateWrite putRoute(Route route, boolean exists) {
        write(ZkPaths.route(route.app()), nodes.encode(route), !exists, -1);
        return this;
    }

    /**
     * Writes the app's deployment: creates it (and, when {@code firstOfApp}, the app's folder of
     * deployments) when {@code exists} is false, else overwrites it. The scheduler is its only writer.
     */
    public StateWrite putDeployment(Deployment deployment, boolean exists, boolean firstOfApp) {
        if (firstOfApp && !exists(ZkPaths.deployments(deployment.app()))) {
            write(ZkPaths.deployments(deployment.app()), new byte[0], true, -1);
        }
        write(ZkPaths.deployment(deployment.app(), deployment.id()), nodes.encode(deployment), !exists, -1);
        return this;
    }

    /**
     * Stores {@code release} and makes it the app's release, if the app is still at the version
     * read ({@code app}): as {@link ReleaseStore#publish}, within this write.
     */
    public StateWrite publishRelease(Versioned<App> app, Release release) {
        App current = app.value();
        if (release.version() != current.release() + 1) {
            throw new IllegalArgumentException("release v" + release.version() + " does not follow v"
                    + current.release());
        }
        write(ZkPaths.release(current.name(), release.version()), nodes.encode(release), true, -1);
        write(ZkPaths.app(current.name()), nodes.encode(current.withRelease(release.version())), false,
                app.version());
        // The app's config becomes the release's (a rollback restores the config it copies, as
        // Releaser.rollback does): read now and written at that version, so a config change made
        // meanwhile fails this write whole rather than being overwritten.
        Optional<Versioned<ConfigVars>> config = nodes.read(ZkPaths.config(current.name()), ConfigVars.class);
        if (config.isPresent() || !release.userConfig().isEmpty()) {
            write(ZkPaths.config(current.name()), nodes.encode(new ConfigVars(release.userConfig())), config.isEmpty(),
                    config.map(Versioned::version).orElse(-1));
        }
        return this;
    }

    /** Adds a create of {@code path}, or a write of it at {@code version} (-1: whatever its version). */
    private void write(String path, byte[] data, boolean create, int version) {
        try {
            add(create ? nodes.curator().transactionOp().create().withMode(CreateMode.PERSISTENT).forPath(path, data)
                    : nodes.curator().transactionOp().setData().withVersion(version).forPath(path, data), data.length);
        } catch (Exception e) {
            throw Nodes.translate("prepare write of " + path, e);
        }
    }

    private void add(CuratorOp op, int bytes) {
        ops.add(op);
        sizes.add(bytes + OP_OVERHEAD_BYTES);
    }

    /**
     * Makes every multi of this write check first that {@code node} still exists: the writer's node
     * in the leader election (see {@link LeaderElection#ourNode}). Once its session is gone,
     * another instance may lead, and this write fails as a {@link Conflict} instead of mixing
     * with the new leader's. A null node (not in the election) fails the write at once.
     */
    public StateWrite fencedBy(String node) {
        if (node == null) {
            throw new Conflict("not in the leader election: the scheduler's state is written by the leader only",
                    null);
        }
        this.fence = node;
        return this;
    }

    public boolean isEmpty() {
        return ops.isEmpty();
    }

    /**
     * Runs the multi (or multis, in order). Returns the new version of each instance written, by
     * task id; throws {@link Conflict} when an instance changed meanwhile or a node to create
     * exists, and nothing of that multi is written then (earlier multis of a large write are: the
     * caller reads the state anew).
     */
    public Map<String, Integer> commit() {
        Map<String, Integer> versions = new HashMap<>();
        for (List<CuratorOp> multi : multis()) {
            versions.putAll(run(multi));
        }
        return versions;
    }

    /** The operations in order, cut into multis of at most {@link #MAX_MULTI_BYTES}. */
    private List<List<CuratorOp>> multis() {
        List<List<CuratorOp>> multis = new ArrayList<>();
        List<CuratorOp> current = fenced();
        int bytes = 0;
        for (int i = 0; i < ops.size(); i++) {
            if (bytes > 0 && bytes + sizes.get(i) > MAX_MULTI_BYTES) {
                multis.add(current);
                current = fenced();
                bytes = 0;
            }
            current.add(ops.get(i));
            bytes += sizes.get(i);
        }
        if (bytes > 0) {
            multis.add(current);
        }
        return multis;
    }

    private boolean exists(String path) {
        try {
            return nodes.curator().checkExists().forPath(path) != null;
        } catch (Exception e) {
            throw Nodes.translate("check " + path, e);
        }
    }

    /** A new multi, beginning with the fence's check when there is one. */
    private List<CuratorOp> fenced() {
        List<CuratorOp> multi = new ArrayList<>();
        if (fence != null) {
            try {
                multi.add(nodes.curator().transactionOp().check().forPath(fence));
            } catch (Exception e) {
                throw Nodes.translate("prepare the check of " + fence, e);
            }
        }
        return multi;
    }

    private Map<String, Integer> run(List<CuratorOp> multi) {
        try {
            return versions(nodes.curator().transaction().forOperations(multi));
        } catch (KeeperException.NoNodeException e) {
            if (fence != null && !exists(fence)) {
                throw new Conflict("this framework instance no longer leads (its election node " + fence
                        + " is gone): nothing of the write was stored", e);
            }
            // /tasks or /routes may be a container node ZooKeeper reaped when it was empty.
            ensureParents(nodes.curator());
        } catch (Exception e) {
            throw Nodes.translate("write " + multi.size() + " scheduler change(s)", e);
        }
        try {
            return versions(nodes.curator().transaction().forOperations(multi));
        } catch (Exception e) {
            throw Nodes.translate("write " + multi.size() + " scheduler change(s)", e);
        }
    }

    private Map<String, Integer> versions(List<CuratorTransactionResult> results) {
        Map<String, Integer> versions = new HashMap<>();
        for (CuratorTransactionResult result : results) {
            String name = ZkPaths.name(result.getForPath());
            if (!written.contains(name) || result.getType() == OperationType.DELETE) {
                continue;
            }
            int version = result.getType() == OperationType.CREATE || result.getResultStat() == null ? 0
                    : result.getResultStat().getVersion();
            versions.put(name, version);
        }
        return versions;
    }

    /** Makes the parents every write above needs, once at start. */
    public static void ensureParents(CuratorFramework zk) {
        Nodes nodes = new Nodes(zk);
        nodes.ensure(ZkPaths.TASKS);
        nodes.ensure(ZkPaths.ROUTES);
    }
}
