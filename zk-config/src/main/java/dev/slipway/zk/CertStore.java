package dev.slipway.zk;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.api.transaction.CuratorOp;

/**
 * The TLS certificates of apps' custom domains, one node per hostname at {@code /certs/<hostname>}.
 * A certificate belongs to the app that has the domain: it is written in one multi with a check
 * that the domain's claim ({@code /domains/<hostname>}) is still that app's, and it goes with the
 * domain ({@link DomainStore#remove}, {@link AppStore#destroy}). The router watches them all
 * ({@link #watch}). The stores check what they store only for shape: whether a certificate is
 * valid for its domain is the API's to check before it calls {@link #put}.
 */
public final class CertStore {
    private final Nodes nodes;

    CertStore(Nodes nodes) {
        this.nodes = nodes;
    }

    /** A store on {@code zk}, as the router's read-only identity uses it to watch. */
    public CertStore(CuratorFramework zk) {
        this(new Nodes(zk));
    }

    /** The certificate of {@code hostname}, whichever app has it. */
    public Optional<TlsCertificate> get(String hostname) {
        return nodes.read(ZkPaths.cert(hostname), TlsCertificate.class).map(Versioned::value);
    }

    /** The certificates of {@code app}'s custom domains, by hostname. */
    public List<TlsCertificate> of(App app) {
        return nodes.readMany(app.domains().stream().map(ZkPaths::cert).toList(), TlsCertificate.class,
                        "read the certificates of app " + app.name())
                .values().stream().map(Versioned::value).filter(c -> c.app().equals(app.name())).toList();
    }

    /**
     * Stores {@code certificate} for its hostname, replacing the one there (whose id and creation
     * time it keeps): {@link NotFound} unless the hostname is a custom domain of the certificate's
     * app, {@link Conflict} when the domain or the certificate changed while this ran. Returns what
     * was stored.
     */
    public TlsCertificate put(TlsCertificate certificate) {
        String hostname = certificate.hostname();
        Versioned<Domain> claim = nodes.read(ZkPaths.domain(hostname), Domain.class)
                .filter(d -> d.value().app().equals(certificate.app()))
                .orElseThrow(() -> new NotFound("app '" + certificate.app() + "' has no domain " + hostname
                        + ": add it first (domains:add)"));
        nodes.ensure(ZkPaths.CERTS);
        Optional<Versioned<TlsCertificate>> existing = nodes.read(ZkPaths.cert(hostname), TlsCertificate.class);
        TlsCertificate stored = existing
                .map(old -> old.value().replacedBy(certificate.chain(), certificate.privateKey(), certificate.updatedAt()))
                .orElse(certificate);
        CuratorOp write = existing.isPresent()
                ? nodes.updateOp(ZkPaths.cert(hostname), stored, existing.get().version())
                : nodes.createOp(ZkPaths.cert(hostname), stored);
        try {
            nodes.transaction("store the certificate of " + hostname,
                    nodes.checkOp(ZkPaths.domain(hostname), claim.version()), write);
        } catch (Conflict | NotFound e) {
            throw new Conflict("the domain " + hostname + " or its certificate was changed by another request "
                    + "while this one ran: nothing was written; try again", e);
        }
        return stored;
    }

    /** Removes the certificate of {@code app}'s domain {@code hostname}; {@link NotFound} when it has none. */
    public TlsCertificate remove(String app, String hostname) {
        Versioned<TlsCertificate> found = nodes.read(ZkPaths.cert(hostname), TlsCertificate.class)
                .filter(c -> c.value().app().equals(app))
                .orElseThrow(() -> new NotFound("app '" + app + "' has no certificate for " + hostname));
        try {
            nodes.transaction("remove the certificate of " + hostname, nodes.deleteOp(ZkPaths.cert(hostname),
                    found.version()));
        } catch (Conflict | NotFound e) {
            throw new Conflict("the certificate of " + hostname + " was changed by another request while this one "
                    + "ran: nothing was removed; try again", e);
        }
        return found.value();
    }

    /**
     * Starts watching every certificate: {@code listener} gets the whole table (hostname to
     * certificate) after each change, on ZooKeeper's thread; the router's view of {@code /certs}.
     */
    public TableWatcher<TlsCertificate> watch(Consumer<Map<String, TlsCertificate>> listener) {
        TableWatcher<TlsCertificate> watcher = new TableWatcher<>(nodes, ZkPaths.CERTS, TlsCertificate.class,
                TlsCertificate::hostname, listener);
        watcher.start();
        return watcher;
    }

    /** The operations that delete the certificates of {@code app}'s domains among {@code hostnames}. */
    List<CuratorOp> deleteOps(String app, List<String> hostnames) {
        List<CuratorOp> ops = new ArrayList<>();
        nodes.readMany(hostnames.stream().map(ZkPaths::cert).toList(), TlsCertificate.class,
                "read the certificates of app " + app).forEach((path, cert) -> {
                    if (cert.value().app().equals(app)) {
                        ops.add(nodes.deleteOp(path, cert.version()));
                    }
                });
        return ops;
    }
}
