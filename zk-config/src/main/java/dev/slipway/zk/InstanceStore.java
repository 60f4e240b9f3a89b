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
        return nodes.readChildren(ZkPaths.TASKS, Instance.class);
    }

    /** Every instance with the version it was read at, for the scheduler's model (see {@link StateWrite}). */
    public List<Versioned<Instance>> listVersioned() {
        return nodes.readChildrenVersioned(ZkPaths.TASKS, Instance.class, name -> true);
    }

    /**
     * The app's instances. Task ids start with the app's name and a dot (the framework names them
     * {@code <app>.<process>.<index>.v<release>.<suffix>}, and app names hold no dot), so only
     * those nodes are read: one app's instances among 10,000 cost a listing of names, not 10,000 reads.
     */
    public List<Instance> list(String app) {
        String prefix = app + ".";
        return nodes.readChildren(ZkPaths.TASKS, Instance.class, name -> name.startsWith(prefix)).stream()
                .filter(i -> i.app().equals(app))
                .toList();
    }

    public boolean delete(String taskId) {
        return nodes.delete(ZkPaths.task(taskId));
    }
}
