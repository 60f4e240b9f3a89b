package dev.slipway.zk;

import org.apache.curator.framework.CuratorFramework;

/**
 * Whether ZooKeeper answers on this connection now, read from the client's last connection event
 * without a round trip: for health answers, and for refusing at once a call that would otherwise
 * wait for the connection to come back.
 */
public final class ZkConnection {
    private final CuratorFramework zk;

    public ZkConnection(CuratorFramework zk) {
        this.zk = zk;
    }

    public boolean connected() {
        return zk.getZookeeperClient().isConnected();
    }
}
