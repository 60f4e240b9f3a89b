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

    public List<Instance> list(String app) {
        return list().stream().filter(i -> i.app().equals(app)).toList();
    }

    public boolean delete(String taskId) {
        return nodes.delete(ZkPaths.task(taskId));
    }
}
