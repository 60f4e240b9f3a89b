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
 * @param healthChecks the {@code healthchecks} of the app's {@code app.json} per process type,
 *                     validated, as the executor reads them
 */
public record CompiledSlug(Slug slug, Map<String, String> processTypes, Map<String, String> configVars,
                           Map<String, Map<String, Object>> healthChecks) {
    public CompiledSlug {
        Objects.requireNonNull(slug, "slug");
        Objects.requireNonNull(processTypes, "processTypes");
        Objects.requireNonNull(configVars, "configVars");
        processTypes = Collections.unmodifiableMap(new LinkedHashMap<>(processTypes));
        configVars = Collections.unmodifiableMap(new LinkedHashMap<>(configVars));
        healthChecks = Map.copyOf(healthChecks);
    }

    /** A slug whose build asks for no config vars and names no health checks. */
    public CompiledSlug(Slug slug, Map<String, String> processTypes) {
        this(slug, processTypes, Map.of(), Map.of());
    }
}
