package dev.slipway.zk;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * An immutable release: a slug and the process types it can run, numbered v1, v2, ...
 *
 * @param slug         the slug's sha256 digest (hex), its name in the slug store
 * @param processTypes process type name to command, from the Procfile
 */
public record Release(int version, String slug, long slugSize, Map<String, String> processTypes,
                      String description, Instant createdAt) {
    public Release {
        if (version < 1) {
            throw new IllegalArgumentException("release versions start at 1");
        }
        Objects.requireNonNull(slug, "slug");
        processTypes = processTypes == null ? Map.of() : Map.copyOf(processTypes);
        description = description == null ? "" : description;
        createdAt = createdAt == null ? Instant.EPOCH : createdAt;
    }
}
