package dev.slipway.cli.bench;

import dev.slipway.zk.Instance;
import dev.slipway.zk.InstanceState;
import dev.slipway.zk.Json;
import dev.slipway.zk.ZkPaths;
import java.io.IOException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.cache.ChildData;
import org.apache.curator.framework.recipes.cache.CuratorCache;
import org.apache.curator.framework.recipes.cache.CuratorCacheListener;

/**
 * How many instances the framework has stored as RUNNING, kept by watching {@code /tasks} (a
 * poll of 10,000 nodes would load ZooKeeper as much as the framework does).
 */
final class RunningCount implements AutoCloseable {
    private final Set<String> running = ConcurrentHashMap.newKeySet();
    private final CuratorCache cache;

    RunningCount(CuratorFramework zk) {
        cache = CuratorCache.build(zk, ZkPaths.TASKS);
        cache.listenable().addListener(CuratorCacheListener.builder()
                .forCreatesAndChanges((before, after) -> saw(after))
                .forDeletes(gone -> running.remove(ZkPaths.name(gone.getPath())))
                .build());
        cache.start();
    }

    int get() {
        return running.size();
    }

    private void saw(ChildData node) {
        if (node.getPath().equals(ZkPaths.TASKS) || node.getData() == null || node.getData().length == 0) {
            return;
        }
        try {
            Instance instance = Json.mapper().readValue(node.getData(), Instance.class);
            if (instance.state() == InstanceState.RUNNING) {
                running.add(instance.taskId());
            } else {
                running.remove(instance.taskId());
            }
        } catch (IOException e) {
            throw new IllegalStateException("unreadable instance at " + node.getPath(), e);
        }
    }

    @Override
    public void close() {
        cache.close();
    }
}
