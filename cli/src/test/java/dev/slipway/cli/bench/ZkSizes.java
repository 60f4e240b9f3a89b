package dev.slipway.cli.bench;

import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.data.Stat;

/** The nodes under Slipway's chroot: how many, how many bytes in all, and the largest one. */
record ZkSizes(int nodes, long totalBytes, String largestPath, int largestBytes) {
    static ZkSizes of(CuratorFramework zk) throws Exception {
        ZkSizes sizes = new ZkSizes(0, 0, "/", 0);
        for (String child : zk.getChildren().forPath("/")) {
            sizes = walk(zk, "/" + child, sizes);
        }
        return sizes;
    }

    private static ZkSizes walk(CuratorFramework zk, String path, ZkSizes sizes) throws Exception {
        Stat stat = zk.checkExists().forPath(path);
        if (stat == null) {
            return sizes;
        }
        int bytes = stat.getDataLength();
        ZkSizes next = new ZkSizes(sizes.nodes + 1, sizes.totalBytes + bytes,
                bytes > sizes.largestBytes ? path : sizes.largestPath, Math.max(bytes, sizes.largestBytes));
        if (stat.getNumChildren() > 0) {
            for (String child : zk.getChildren().forPath(path)) {
                next = walk(zk, path + "/" + child, next);
            }
        }
        return next;
    }
}
