package dev.slipway.zk;

import java.time.Instant;
import java.util.Objects;

/**
 * The TLS certificate the router serves for one custom domain of an app, stored at
 * {@code /certs/<hostname>} (see {@link CertStore}). The private key is a secret: the node is
 * readable by Slipway and the router alone ({@link ZkAcls}), and {@link #toString()} leaves it out,
 * so that no log line or error message carries it.
 *
 * @param hostname    the custom domain it is served for, as stored ({@code www.example.com} or {@code *.example.com})
 * @param app         the app that has the domain
 * @param id          a UUID, as the Platform API gives each SNI endpoint
 * @param chain       the certificate and its intermediates, PEM, leaf first
 * @param privateKey  the leaf's private key, PEM (PKCS#8, or PKCS#1 for RSA); never shown
 * @param createdAt   when it was first added
 * @param updatedAt   when it was last replaced
 */
public record TlsCertificate(String hostname, String app, String id, String chain, String privateKey,
                             Instant createdAt, Instant updatedAt) {
    /** Chain and key together stay far below {@link Nodes#MAX_RECORD_BYTES}. */
    public static final int MAX_PEM_CHARS = 64 * 1024;

    public TlsCertificate {
        Objects.requireNonNull(hostname, "hostname");
        Objects.requireNonNull(app, "app");
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(chain, "chain");
        Objects.requireNonNull(privateKey, "privateKey");
        createdAt = createdAt == null ? Instant.EPOCH : createdAt;
        updatedAt = updatedAt == null ? createdAt : updatedAt;
        // Same shape as a stored domain: the certificate is keyed by one.
        new Domain(hostname, app, id, createdAt);
        if (chain.length() > MAX_PEM_CHARS || privateKey.length() > MAX_PEM_CHARS) {
            throw new IllegalArgumentException("a certificate chain or key longer than " + MAX_PEM_CHARS + " characters");
        }
    }

    /** This certificate with another chain and key, as replaced at {@code now}. */
    public TlsCertificate replacedBy(String newChain, String newKey, Instant now) {
        return new TlsCertificate(hostname, app, id, newChain, newKey, createdAt, now);
    }

    /** Everything but the private key. */
    @Override
    public String toString() {
        return "TlsCertificate[hostname=" + hostname + ", app=" + app + ", id=" + id + ", createdAt=" + createdAt
                + ", updatedAt=" + updatedAt + ", privateKey=(hidden)]";
    }
}
