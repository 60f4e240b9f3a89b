package dev.slipway.zk;

import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.ExponentialBackoffRetry;

/** Connects to ZooKeeper under Slipway's chroot. */
public final class ZkClient {
    private ZkClient() {
    }

    /**
     * A started client for {@code connectString} (host:port[,host:port...]) under {@code chroot},
     * once connected; {@link Unavailable} if no server answers within {@code timeoutSeconds}.
     */
    public static CuratorFramework connect(String connectString, String chroot, int timeoutSeconds) {
        String namespace = chroot.startsWith("/") ? chroot.substring(1) : chroot;
        CuratorFramework zk = CuratorFrameworkFactory.builder()
                .connectString(connectString)
                .namespace(namespace.isEmpty() ? null : namespace)
                .sessionTimeoutMs(30_000)
                .connectionTimeoutMs(10_000)
                .retryPolicy(new ExponentialBackoffRetry(200, 10, 5_000))
                .build();
        zk.start();
        try {
            if (!zk.blockUntilConnected(timeoutSeconds, TimeUnit.SECONDS)) {
                zk.close();
                throw new Unavailable("no ZooKeeper server answered at " + connectString + " within " + timeoutSeconds + " s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            zk.close();
            throw new Unavailable("interrupted while connecting to ZooKeeper at " + connectString, e);
        }
        return zk;
    }
}
