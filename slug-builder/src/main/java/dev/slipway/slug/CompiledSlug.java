package dev.slipway.slug;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The result of a build: the stored slug and the process types it can run.
 *
 * @param processTypes process type name to command, in the Procfile's order
 */
public record CompiledSlug(Slug slug, Map<String, String> processTypes) {
    public CompiledSlug {
        Objects.requireNonNull(slug, "slug");
        Objects.requireNonNull(processTypes, "processTypes");
        processTypes = Collections.unmodifiableMap(new LinkedHashMap<>(processTypes));
    }
}
