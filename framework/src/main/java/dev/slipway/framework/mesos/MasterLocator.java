package dev.slipway.framework.mesos;

import dev.slipway.zk.MesosMasters;
import dev.slipway.zk.ZkClient;
import dev.slipway.zk.ZkCredential;
import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.apache.curator.framework.CuratorFramework;

/**
 * Where the leading Mesos master is: a fixed {@code http://host:5050}, or found through the
 * ZooKeeper nodes that Mesos masters register ({@code zk://host:2181,host2:2181/mesos}, or
 * {@code zk://user:password@host:2181/mesos} where the ensemble wants a digest credential), asked
 * again before every subscription so that a failover of the master is followed.
 */
public interface MasterLocator extends AutoCloseable {
    /** The leader's base URI; IOException while none is known. */
    URI leader() throws IOException;

    @Override
    default void close() {
    }

    /** {@code master} as it may be logged: without the password of a {@code zk://user:password@...} URL. */
    static String shown(URI master) {
        String authority = master.getRawAuthority();
        int at = authority == null ? -1 : authority.lastIndexOf('@');
        if (at < 0) {
            return master.toString();
        }
        String user = authority.substring(0, at).split(":", 2)[0];
        return master.getScheme() + "://" + user + ":***@" + authority.substring(at + 1) + master.getRawPath();
    }

    static MasterLocator of(URI master) {
        if (!"zk".equals(master.getScheme())) {
            return () -> master;
        }
        // Mesos's own form for an ensemble that wants credentials: zk://user:password@host:port,.../mesos
        String authority = master.getRawAuthority();
        int at = authority.lastIndexOf('@');
        String connect = authority.substring(at + 1);
        Optional<ZkCredential> credential = at < 0 ? Optional.empty()
                : Optional.of(ZkCredential.parseDigest(URLDecoder.decode(authority.substring(0, at), StandardCharsets.UTF_8)));
        String path = master.getPath() == null || master.getPath().isEmpty() ? "/mesos" : master.getPath();
        CuratorFramework zk = ZkClient.connectToRead(connect, path, credential, 30);
        MesosMasters masters = new MesosMasters(zk);
        return new MasterLocator() {
            @Override
            public URI leader() throws IOException {
                return masters.leader().orElseThrow(
                        () -> new IOException("no Mesos master has registered at " + shown(master) + " yet"));
            }

            @Override
            public void close() {
                zk.close();
            }
        };
    }
}
