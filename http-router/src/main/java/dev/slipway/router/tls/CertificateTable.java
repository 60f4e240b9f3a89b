package dev.slipway.router.tls;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The certificates in force, immutable: one per custom domain (exact or wildcard) and the default
 * one. A server name gets its exact domain's certificate, else that of the nearest wildcard domain
 * above it ({@code *.b.example.com}, then {@code *.example.com}), as the route table picks an app;
 * otherwise (no SNI, an IP address, an unknown name) the default certificate.
 */
record CertificateTable(Map<String, ServedCertificate> byHostname, ServedCertificate fallback,
                        Map<String, ServedCertificate> byAlias) {
    CertificateTable {
        byHostname = Map.copyOf(byHostname);
        byAlias = Map.copyOf(byAlias);
    }

    /** A table of the default certificate only. */
    static CertificateTable of(ServedCertificate fallback) {
        return new CertificateTable(Map.of(), fallback, Map.of(fallback.alias(), fallback));
    }

    /**
     * A table of {@code certificates} whose aliases also resolve the certificates of {@code previous}:
     * a handshake that picked one of those just before the swap still finds its key.
     */
    static CertificateTable next(Map<String, ServedCertificate> certificates, CertificateTable previous) {
        Map<String, ServedCertificate> aliases = new HashMap<>();
        previous.byHostname.values().forEach(c -> aliases.put(c.alias(), c));
        certificates.values().forEach(c -> aliases.put(c.alias(), c));
        aliases.put(previous.fallback.alias(), previous.fallback);
        return new CertificateTable(certificates, previous.fallback, aliases);
    }

    /** The certificate for {@code serverName} (null or empty: the client sent none). */
    ServedCertificate lookup(String serverName) {
        if (serverName == null || serverName.isEmpty() || byHostname.isEmpty()) {
            return fallback;
        }
        String name = serverName.toLowerCase(Locale.ROOT);
        if (name.endsWith(".")) {
            name = name.substring(0, name.length() - 1);
        }
        ServedCertificate exact = byHostname.get(name);
        if (exact != null) {
            return exact;
        }
        // Wildcard domains have at least two labels after the star.
        for (int dot = name.indexOf('.'); dot >= 0 && name.indexOf('.', dot + 1) > 0; dot = name.indexOf('.', dot + 1)) {
            ServedCertificate wildcard = byHostname.get("*" + name.substring(dot));
            if (wildcard != null) {
                return wildcard;
            }
        }
        return fallback;
    }

    /** The certificate a handshake named by its alias; null if it is no longer known. */
    ServedCertificate alias(String alias) {
        return alias == null ? null : byAlias.get(alias);
    }
}
