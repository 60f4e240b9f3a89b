package dev.slipway.zk;

import java.util.Optional;
import org.apache.curator.framework.CuratorFramework;

/** The Mesos FrameworkID, kept so that a restarted framework re-subscribes as the same framework. */
public final class FrameworkIdStore {
    private final Nodes nodes;

    public FrameworkIdStore(CuratorFramework zk) {
        this.nodes = new Nodes(zk);
    }

    public Optional<String> get() {
        return nodes.read(ZkPaths.FRAMEWORK_ID, Stored.class).map(v -> v.value().id());
    }

    public void set(String frameworkId) {
        nodes.put(ZkPaths.FRAMEWORK_ID, new Stored(frameworkId));
    }

    public void clear() {
        nodes.delete(ZkPaths.FRAMEWORK_ID);
    }

    record Stored(String id) {
    }
}
