package dev.slipway.router.tls;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * A certificate chain and key as the router serves them, under the alias the key manager names it
 * by during a handshake. The key never leaves the router's memory: {@link #toString()} leaves it out.
 */
record ServedCertificate(String alias, List<X509Certificate> chain, PrivateKey key) {
    ServedCertificate {
        chain = List.copyOf(chain);
    }

    /** The key's algorithm as TLS asks for it: {@code RSA} or {@code EC}. */
    String keyType() {
        return key.getAlgorithm();
    }

    X509Certificate[] chainArray() {
        return chain.toArray(X509Certificate[]::new);
    }

    @Override
    public String toString() {
        return "ServedCertificate[" + alias + "]";
    }
}
