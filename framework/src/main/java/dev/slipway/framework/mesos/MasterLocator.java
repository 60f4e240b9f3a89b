package dev.slipway.framework.mesos;

import dev.slipway.zk.MesosMasters;
import dev.slipway.zk.ZkClient;
import java.io.IOException;
import java.net.URI;
import org.apache.curator.framework.CuratorFramework;

/**
 * Where the leading Mesos master is: a fixed {@code http://host:5050}, or found through the
 * ZooKeeper nodes that Mesos masters register ({@code zk://host:2181,host2:2181/mesos}), asked
 * again before every subscription so that a failover of the master is followed.
 */
public interface MasterLocator extends AutoCloseable {
    /** The leader's base URI; IOException while none is known. */
    URI leader() throws IOException;

    @Override
    default void close() {
    }

    static MasterLocator of(URI master) {
        if (!"zk".equals(master.getScheme())) {
            return () -> master;
        }
        String connect = master.getRawAuthority();
        String path = master.getPath() == null || master.getPath().isEmpty() ? "/mesos" : master.getPath();
        CuratorFramework zk = ZkClient.connect(connect, path, 30);
        MesosMasters masters = new MesosMasters(zk);
        return new MasterLocator() {
            @Override
            public URI leader() throws IOException {
                return masters.leader().orElseThrow(
                        () -> new IOException("no Mesos master has registered at " + master + " yet"));
            }

            @Override
            public void close() {
                zk.close();
            }
        };
    }
}
