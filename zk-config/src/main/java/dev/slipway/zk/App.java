package dev.slipway.zk;

import com.fasterxml.jackson.annotation.JsonCreator;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * An app: its name, its formation (instances wanted per process type), the release it runs and
 * the buildpacks it is built with.
 *
 * @param release    the current release number; 0 until the first deploy
 * @param buildpacks buildpack references in the order they run (as {@code buildpacks:set} gives
 *                   them); empty to use the app's {@code .buildpacks} file or detection. Stored
 *                   apps written before this field read as empty.
 */
public record App(String name, Map<String, Integer> formation, int release, Instant createdAt,
                  List<String> buildpacks) {
    @JsonCreator
    public App {
        Objects.requireNonNull(name, "name");
        formation = formation == null ? Map.of() : Map.copyOf(formation);
        formation.values().forEach(n -> {
            if (n < 0) {
                throw new IllegalArgumentException("formation counts must not be negative");
            }
        });
        createdAt = createdAt == null ? Instant.EPOCH : createdAt;
        buildpacks = buildpacks == null ? List.of() : List.copyOf(buildpacks);
    }

    /** An app that detects its buildpacks. */
    public App(String name, Map<String, Integer> formation, int release, Instant createdAt) {
        this(name, formation, release, createdAt, List.of());
    }

    public static App created(String name, Instant now) {
        return new App(name, Map.of(), 0, now, List.of());
    }

    public App withRelease(int newRelease) {
        return new App(name, formation, newRelease, createdAt, buildpacks);
    }

    public App withFormation(Map<String, Integer> newFormation) {
        return new App(name, newFormation, release, createdAt, buildpacks);
    }

    /** The app with {@code newBuildpacks} (empty: detect) for its next builds. */
    public App withBuildpacks(List<String> newBuildpacks) {
        return new App(name, formation, release, createdAt, newBuildpacks);
    }

    /** Buildpack URLs may carry credentials ({@code https://user:token@host/...}): those are masked. */
    @Override
    public String toString() {
        return "App[name=" + name + ", formation=" + formation + ", release=" + release + ", createdAt=" + createdAt
                + ", buildpacks=" + buildpacks.stream().map(b -> b.replaceAll("://[^/@]*@", "://***@")).toList() + "]";
    }

    /** The formation with {@code type} scaled to {@code quantity}. */
    public App scaled(String type, int quantity) {
        Map<String, Integer> next = new TreeMap<>(formation);
        next.put(type, quantity);
        return withFormation(next);
    }
}
