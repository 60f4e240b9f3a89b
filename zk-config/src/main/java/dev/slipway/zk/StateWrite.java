package dev.slipway.zk;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Set;
import java.util.List;
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
 */
public final class StateWrite {
    /** The version of an instance not stored yet: it is created. */
    public static final int NEW = -1;

    private final Nodes nodes;
    private final List<CuratorOp> ops = new ArrayList<>();
    /** Task ids written (not deleted), whose new versions {@link #commit()} returns. */
    private final Set<String> written = new HashSet<>();

    public StateWrite(CuratorFramework zk) {
        this.nodes = new Nodes(zk);
    }

    /** Creates the instance ({@code version} {@link #NEW}) or updates it if it is still at {@code version}. */
    public StateWrite putInstance(Instance instance, int version) {
        String path = ZkPaths.task(instance.taskId());
        ops.add(version == NEW ? nodes.createOp(path, instance) : nodes.updateOp(path, instance, version));
        written.add(instance.taskId());
        return this;
    }

    /** Deletes the instance if it is still at {@code version}. */
    public StateWrite deleteInstance(String taskId, int version) {
        try {
            ops.add(nodes.curator().transactionOp().delete().withVersion(version).forPath(ZkPaths.task(taskId)));
        } catch (Exception e) {
            throw Nodes.translate("prepare delete of task " + taskId, e);
        }
        return this;
    }

    /** Writes the app's route: creates its node when {@code exists} is false, else overwrites it. */
    public StateWrite putRoute(Route route, boolean exists) {
        String path = ZkPaths.route(route.app());
        try {
            ops.add(exists ? nodes.curator().transactionOp().setData().forPath(path, nodes.encode(route))
                    : nodes.curator().transactionOp().create().withMode(CreateMode.PERSISTENT)
                            .forPath(path, nodes.encode(route)));
        } catch (Exception e) {
            throw Nodes.translate("prepare write of route " + route.app(), e);
        }
        return this;
    }

    public boolean isEmpty() {
        return ops.isEmpty();
    }

    /**
     * Runs the multi. Returns the new version of each instance written, by task id; throws
     * {@link Conflict} when an instance changed meanwhile or a node to create exists, and nothing
     * is written then.
     */
    public Map<String, Integer> commit() {
        if (ops.isEmpty()) {
            return Map.of();
        }
        try {
            return versions(nodes.curator().transaction().forOperations(ops));
        } catch (KeeperException.NoNodeException e) {
            // /tasks or /routes may be a container node ZooKeeper reaped when it was empty.
            ensureParents(nodes.curator());
        } catch (Exception e) {
            throw Nodes.translate("write " + ops.size() + " scheduler change(s)", e);
        }
        try {
            return versions(nodes.curator().transaction().forOperations(ops));
        } catch (Exception e) {
            throw Nodes.translate("write " + ops.size() + " scheduler change(s)", e);
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
