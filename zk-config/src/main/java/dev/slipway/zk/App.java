package dev.slipway.zk;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * An app: its name, its formation (instances wanted per process type) and the release it runs.
 *
 * @param release the current release number; 0 until the first deploy
 */
public record App(String name, Map<String, Integer> formation, int release, Instant createdAt) {
    public App {
        Objects.requireNonNull(name, "name");
        formation = formation == null ? Map.of() : Map.copyOf(formation);
        formation.values().forEach(n -> {
            if (n < 0) {
                throw new IllegalArgumentException("formation counts must not be negative");
            }
        });
        createdAt = createdAt == null ? Instant.EPOCH : createdAt;
    }

    public static App created(String name, Instant now) {
        return new App(name, Map.of(), 0, now);
    }

    public App withRelease(int newRelease) {
        return new App(name, formation, newRelease, createdAt);
    }

    public App withFormation(Map<String, Integer> newFormation) {
        return new App(name, newFormation, release, createdAt);
    }

    /** The formation with {@code type} scaled to {@code quantity}. */
    public App scaled(String type, int quantity) {
        Map<String, Integer> next = new TreeMap<>(formation);
        next.put(type, quantity);
        return withFormation(next);
    }
}
