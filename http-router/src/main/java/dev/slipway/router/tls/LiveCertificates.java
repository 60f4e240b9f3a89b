package dev.slipway.router.tls;

import dev.slipway.zk.TlsCertificate;
import dev.slipway.zk.TlsKeyPair;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The certificates in force. ZooKeeper's watcher thread builds each new {@link CertificateTable} and
 * swaps it in with a single volatile write; handshakes on the event loops read a whole table, so a
 * new or replaced certificate is served from the next handshake on, with no restart and no
 * connection dropped. A stored certificate the router cannot use (it should not happen: the API
 * checks them) is left out with a warning naming its hostname; its domain gets the default one.
 */
public final class LiveCertificates implements Consumer<Map<String, TlsCertificate>> {
    private static final Logger LOG = LoggerFactory.getLogger(LiveCertificates.class);
    private static final AtomicLong ALIASES = new AtomicLong();

    private volatile CertificateTable table;
    /** The parsed form of each stored record, reused while the record is unchanged. */
    private Map<TlsCertificate, ServedCertificate> parsed = Map.of();

    /** Serves {@code fallback} until the first certificates arrive, and for every name without one after. */
    public LiveCertificates(TlsKeyPair fallback) {
        this.table = CertificateTable.of(served("default", fallback));
    }

    /** Swaps in the table of {@code certificates} (hostname to certificate), on ZooKeeper's thread. */
    @Override
    public synchronized void accept(Map<String, TlsCertificate> certificates) {
        Map<TlsCertificate, ServedCertificate> next = new HashMap<>();
        Map<String, ServedCertificate> byHostname = new HashMap<>();
        for (TlsCertificate stored : certificates.values()) {
            ServedCertificate served = parsed.get(stored);
            if (served == null) {
                try {
                    served = served(stored.hostname(), TlsKeyPair.parse(stored.chain(), stored.privateKey()));
                } catch (IllegalArgumentException e) {
                    LOG.warn("not serving the stored certificate of {} (app {}): {}", stored.hostname(), stored.app(),
                            e.getMessage());
                    continue;
                }
            }
            next.put(stored, served);
            byHostname.put(stored.hostname(), served);
        }
        int before = table.byHostname().size();
        table = CertificateTable.next(byHostname, table);
        parsed = next;
        LOG.info("serving {} TLS certificates (was {})", byHostname.size(), before);
    }

    /** The table in force. */
    CertificateTable table() {
        return table;
    }

    private static ServedCertificate served(String hostname, TlsKeyPair pair) {
        return new ServedCertificate(hostname + "#" + ALIASES.incrementAndGet(), pair.chain(), pair.key());
    }
}
