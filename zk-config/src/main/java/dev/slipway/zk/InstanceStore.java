package dev.slipway.zk;

import java.util.List;
import java.util.Optional;
import org.apache.curator.framework.CuratorFramework;

/** Instances (Mesos tasks) under {@code /tasks/<task-id>}. */
public final class InstanceStore {
    private final Nodes nodes;

    public InstanceStore(CuratorFramework zk) {
        this.nodes = new Nodes(zk);
    }

    /** Creates or overwrites the instance's record. */
    public void put(Instance instance) {
        nodes.put(ZkPaths.task(instance.taskId()), instance);
    }

    public Optional<Instance> get(String taskId) {
        return nodes.read(ZkPaths.task(taskId), Instance.class).map(Versioned::value);
    }

    public List<Instance> list() {
        return nodes.children(ZkPaths.TASKS).stream()
                .flatMap(id -> get(id).stream())
                .toList();
    }

    /** Every instance with the version it was read at, for the scheduler's model (see {@link StateWrite}). */
    public List<Versioned<Instance>> listVersioned() {
        return nodes.children(ZkPaths.TASKS).stream()
                .flatMap(id -> nodes.read(ZkPaths.task(id), Instance.class).stream())
                .toList();
    }

    /**
     * The app's instances: one listing of the task ids, then a read of only those named for the
     * app (task ids begin with {@code <app>.}, and app names hold no dot), never a read of every
     * task. The filter on the record keeps the answer right for any id.
     */
    public List<Instance> list(String app) {
        String prefix = app + ".";
        return nodes.children(ZkPaths.TASKS).stream()
                .filter(id -> id.startsWith(prefix))
                .flatMap(id -> get(id).stream())
                .filter(i -> i.app().equals(app))
                .toList();
    }

    public boolean delete(String taskId) {
        return nodes.delete(ZkPaths.task(taskId));
    }
}
