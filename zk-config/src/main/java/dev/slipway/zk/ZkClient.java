package dev.slipway.zk;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.ExponentialBackoffRetry;

/** Connects to ZooKeeper under Slipway's chroot. */
public final class ZkClient {
    /** How long ZooKeeper keeps a silent client's session (and its ephemeral nodes) by default. */
    static final Duration SESSION = Duration.ofSeconds(30);
    /**
     * The session of a framework instance: its leader latch node goes this long after the instance
     * dies, and only then is another elected (Marathon's is 10 s; shorter, so that a new leader
     * schedules well within 15 s, ZooKeeper's tick of 2 s included).
     */
    public static final Duration FRAMEWORK_SESSION = Duration.ofSeconds(8);

    private ZkClient() {
    }

    /**
     * A started client for {@code connectString} (host:port[,host:port...]) under {@code chroot},
     * authenticated as {@code as}, once connected; the znodes it makes get the ACLs of {@code acls}.
     * {@link Unavailable} if no server answers within {@code timeoutSeconds}.
     */
    public static CuratorFramework connect(String connectString, String chroot, ZkCredential as, ZkAcls acls,
                                           int timeoutSeconds) {
        return connect(connectString, chroot, as, acls, timeoutSeconds, SESSION);
    }

    /** The same, with a session of {@code session} (e.g. {@link #FRAMEWORK_SESSION}). */
    public static CuratorFramework connect(String connectString, String chroot, ZkCredential as, ZkAcls acls,
                                           int timeoutSeconds, Duration session) {
        String namespace = chroot.startsWith("/") ? chroot.substring(1) : chroot;
        return started(builder(connectString, as)
                .sessionTimeoutMs((int) session.toMillis())
                // Curator warns of, and shortens, a connection timeout longer than the session.
                .connectionTimeoutMs((int) Math.min(10_000, session.toMillis()))
                .namespace(namespace.isEmpty() ? null : namespace)
                .aclProvider(acls.provider(chroot))
                .build(), connectString, timeoutSeconds);
    }

    /**
     * The router's client: the read-only {@code router} identity of {@code credentials}, under
     * {@code chroot}. Wherever a router runs (in {@code slipway up} or its own process), it reads
     * routes through this and nothing else.
     */
    public static CuratorFramework connectAsRouter(String connectString, String chroot, ZkCredentials credentials,
                                                   int timeoutSeconds) {
        return connect(connectString, chroot, credentials.router(), credentials.acls(), timeoutSeconds);
    }

    /**
     * A started client rooted at {@code path} of a tree Slipway reads but does not own (the nodes
     * Mesos masters register), authenticated as {@code as} when given. It makes no znodes of its own.
     */
    public static CuratorFramework connectToRead(String connectString, String path, Optional<ZkCredential> as,
                                                 int timeoutSeconds) {
        String namespace = path.startsWith("/") ? path.substring(1) : path;
        CuratorFrameworkFactory.Builder builder = as.map(credential -> builder(connectString, credential))
                .orElseGet(() -> baseBuilder(connectString));
        return started(builder.namespace(namespace.isEmpty() ? null : namespace).build(), connectString, timeoutSeconds);
    }

    private static CuratorFrameworkFactory.Builder builder(String connectString, ZkCredential as) {
        return baseBuilder(connectString).authorization(as.scheme(), as.authBytes());
    }

    private static CuratorFrameworkFactory.Builder baseBuilder(String connectString) {
        return CuratorFrameworkFactory.builder()
                .connectString(connectString)
                .sessionTimeoutMs((int) SESSION.toMillis())
                .connectionTimeoutMs(10_000)
                .retryPolicy(new ExponentialBackoffRetry(200, 10, 5_000));
    }

    private static CuratorFramework started(CuratorFramework zk, String connectString, int timeoutSeconds) {
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
