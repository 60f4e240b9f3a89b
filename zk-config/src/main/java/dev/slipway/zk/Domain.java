package dev.slipway.zk;

import java.time.Instant;
import java.util.Objects;

/**
 * A custom domain of an app, stored at {@code /domains/<hostname>}: the node that makes the hostname
 * this app's alone (see {@link DomainStore}).
 *
 * @param hostname  lower case, no port, no trailing dot: {@code www.example.com}, or a wildcard of one
 *                  label at the front, {@code *.example.com}; the API checks the full rules
 * @param app       the app that has it
 * @param id        a UUID, as the Platform API gives each domain
 * @param createdAt when it was added
 */
public record Domain(String hostname, String app, String id, Instant createdAt) {
    /** The longest hostname DNS carries. */
    public static final int MAX_HOSTNAME_LENGTH = 253;

    public Domain {
        Objects.requireNonNull(hostname, "hostname");
        Objects.requireNonNull(app, "app");
        Objects.requireNonNull(id, "id");
        createdAt = createdAt == null ? Instant.EPOCH : createdAt;
        if (hostname.isEmpty() || hostname.length() > MAX_HOSTNAME_LENGTH
                || !hostname.matches("(\\*\\.)?[a-z0-9.-]+") || hostname.endsWith(".")) {
            throw new IllegalArgumentException("not a stored hostname: '" + hostname + "'");
        }
    }

    /** Whether this is a wildcard domain ({@code *.example.com}). */
    public boolean wildcard() {
        return hostname.startsWith("*.");
    }
}
