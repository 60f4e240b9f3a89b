package dev.slipway.zk;

import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Keeps every stored {@link TlsCertificate} in memory and hands each new table of them (hostname to
 * certificate), whole and immutable, to a listener: the router's view of {@code /certs}. When
 * ZooKeeper is unreachable the last table stays in force.
 */
public final class CertWatcher implements AutoCloseable {
    /** Receives the whole table (hostname to certificate) after each change, on ZooKeeper's thread. */
    @FunctionalInterface
    public interface Listener {
        void onCertificates(Map<String, TlsCertificate> certificates);
    }

    private final ChildrenCache<TlsCertificate> cache;

    CertWatcher(Nodes nodes, Listener listener) {
        this.cache = new ChildrenCache<>(nodes, ZkPaths.CERTS, TlsCertificate.class, TlsCertificate::hostname,
                listener::onCertificates);
    }

    void start() {
        cache.start();
    }

    /** Waits until the first full table has been read and published. */
    public boolean awaitInitialized(long timeout, TimeUnit unit) throws InterruptedException {
        return cache.awaitInitialized(timeout, unit);
    }

    @Override
    public void close() {
        cache.close();
    }
}
