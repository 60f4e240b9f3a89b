package dev.slipway.slug;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The result of a build: the stored slug and the process types it can run.
 *
 * @param processTypes process type name to command, in the Procfile's order
 * @param configVars   config vars the buildpacks ask for ({@code bin/release}'s
 *                     {@code config_vars}), to be set on the app where it has none of that name
 */
public record CompiledSlug(Slug slug, Map<String, String> processTypes, Map<String, String> configVars) {
    public CompiledSlug {
        Objects.requireNonNull(slug, "slug");
        Objects.requireNonNull(processTypes, "processTypes");
        Objects.requireNonNull(configVars, "configVars");
        processTypes = Collections.unmodifiableMap(new LinkedHashMap<>(processTypes));
        configVars = Collections.unmodifiableMap(new LinkedHashMap<>(configVars));
    }

    /** A slug whose build asks for no config vars. */
    public CompiledSlug(Slug slug, Map<String, String> processTypes) {
        this(slug, processTypes, Map.of());
    }
}
