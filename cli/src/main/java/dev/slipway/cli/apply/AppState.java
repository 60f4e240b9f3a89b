package dev.slipway.cli.apply;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One app as the server has it, as far as its {@link AppSpec} manages it (what it leaves alone is
 * not read: null).
 *
 * @param exists          whether the app exists; when not, nothing else is known
 * @param release         its current release's version; 0 before its first release
 * @param slug            the slug its current release runs; null before its first release
 * @param deployedSource  the source checksum of the build that made {@code slug}; null when no
 *                        build with a checksum made it (a git push, a rollback to an older slug)
 * @param wantedSlug      the slug of the spec's {@code release}; null when it gives none
 * @param config          its config vars
 * @param formation       its process types by name
 * @param domains         its custom domains; null when the server has no domains API
 */
public record AppState(boolean exists, int release, String slug, String deployedSource, String wantedSlug,
                       Map<String, String> config, Map<String, Formation> formation, List<String> domains) {
    public AppState {
        config = config == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(config));
        formation = formation == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(formation));
        domains = domains == null ? null : List.copyOf(domains);
    }

    /** An app that does not exist yet. */
    public static final AppState NONE = new AppState(false, 0, null, null, null, Map.of(), Map.of(), List.of());

    /** One process type's row of the formation: {@code size} null when given as cpus and memory. */
    public record Formation(int quantity, String size, List<String> constraints) {
        public Formation {
            constraints = constraints == null ? List.of() : List.copyOf(constraints);
        }
    }
}
