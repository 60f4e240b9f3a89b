package dev.slipway.zk;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * An app: its name, its formation (instances wanted per process type), the release it runs, the
 * buildpacks it is built with and how long its instances get to stop. Every part is bounded (see
 * {@link ProcessTypes}, {@link #MAX_BUILDPACKS}), so that the stored record stays a few kilobytes.
 * Made with {@link #named} or changed with {@link #toBuilder} (or a {@code with...} method): a new
 * part is a component, a {@link Builder} field and a parameter of {@link #stored}, all here, and
 * no caller changes.
 *
 * @param release          the current release number; 0 until the first deploy
 * @param buildpacks       buildpack references in the order they run (as {@code buildpacks:set}
 *                         gives them); empty to use the app's {@code .buildpacks} file or
 *                         detection. Stored apps written before this field read as empty.
 * @param killGraceSeconds how long an instance gets between SIGTERM and SIGKILL when it is
 *                         stopped, {@value #MIN_KILL_GRACE_SECONDS} to {@value #MAX_KILL_GRACE_SECONDS};
 *                         null for the framework's default (Marathon's
 *                         {@code taskKillGracePeriodSeconds}). Stored apps written before this
 *                         field read as null.
 * @param constraints      placement constraints per process type, in Marathon's colon form
 *                         ({@code hostname:UNIQUE}), at most {@value #MAX_CONSTRAINTS} per type of at
 *                         most {@value #MAX_CONSTRAINT_LENGTH} characters each; the framework's
 *                         {@code placement.Constraint} checks their syntax before they are stored. A
 *                         type without constraints has no entry. Stored apps written before this field
 *                         read as empty.
 * @param sizes            the size of each process type's instances, resolved when set (see {@link Size});
 *                         a type without an entry has the framework's default size. Stored apps
 *                         written before this field read as empty.
 * @param team             the team the app belongs to: its members see and change it (admins see
 *                         every app); null for an app made before teams, which only admins reach
 * @param restarts         restart generations, by process type ({@code web}) and by slot ({@code web.2}),
 *                         raised by {@code ps:restart}; a slot's generation is the sum of its type's and
 *                         its own ({@link #restartOf}). An entry is left out until its first restart.
 *                         Stored apps written before this field read as empty.
 * @param deployTimeoutSeconds how long a deployment of the app may take to become healthy before it
 *                         is rolled back, {@value #MIN_DEPLOY_TIMEOUT_SECONDS} to
 *                         {@value #MAX_DEPLOY_TIMEOUT_SECONDS}; null for the default
 *                         ({@value #DEFAULT_DEPLOY_TIMEOUT_SECONDS}). Stored apps written before this
 *                         field read as null.
 * @param domains          the custom hostnames the app answers to besides its default one, sorted, each
 *                         claimed for this app alone by its node under {@code /domains} (see
 *                         {@link DomainStore}), at most {@value #MAX_DOMAINS}. Stored apps written before
 *                         this field read as empty.
 * @param stops            by slot ({@code web.2}), the restart generation {@code ps:stop} raised it to: an
 *                         instance of the slot launched at a lower one is stopped at once, without
 *                         waiting for its replacement. Stored apps written before this field read as empty.
 * @param httpsOnly        whether the router answers the app's requests over plain HTTP with a redirect to
 *                         HTTPS (the {@code https-only} feature, see docs/tls.md). Stored apps written
 *                         before this field read as false.
 */
public record App(String name, Map<String, Integer> formation, int release, Instant createdAt,
                  List<String> buildpacks, Integer killGraceSeconds, Map<String, List<String>> constraints,
                  Map<String, Size> sizes, String team, Map<String, Integer> restarts,
                  Integer deployTimeoutSeconds, List<String> domains, Map<String, Integer> stops,
                  boolean httpsOnly) {
    public static final int MIN_DEPLOY_TIMEOUT_SECONDS = 10;
    /** The most custom domains an app has: its record stays a few kilobytes. */
    public static final int MAX_DOMAINS = 100;
    public static final int MAX_DEPLOY_TIMEOUT_SECONDS = 3600;
    public static final int DEFAULT_DEPLOY_TIMEOUT_SECONDS = 300;
    public static final int MIN_KILL_GRACE_SECONDS = 1;
    public static final int MAX_KILL_GRACE_SECONDS = 300;
    public static final int MAX_BUILDPACKS = 20;
    public static final int MAX_BUILDPACK_LENGTH = 2048;
    public static final int MAX_CONSTRAINTS = 10;
    public static final int MAX_CONSTRAINT_LENGTH = 200;
    /** Process types and slots that may carry a restart generation: every slot of a full app. */
    public static final int MAX_RESTART_ENTRIES = ProcessTypes.MAX_TYPES * (ProcessTypes.MAX_QUANTITY + 1);

    public App {
        Objects.requireNonNull(name, "name");
        formation = formation == null ? Map.of() : Map.copyOf(formation);
        ProcessTypes.requireStoredKeys(formation, "the formation of app " + name);
        formation.values().forEach(n -> {
            if (n < 0 || n > ProcessTypes.MAX_QUANTITY) {
                throw new IllegalArgumentException("formation counts are from 0 to " + ProcessTypes.MAX_QUANTITY
                        + ", not " + n);
            }
        });
        createdAt = createdAt == null ? Instant.EPOCH : createdAt;
        buildpacks = buildpacks == null ? List.of() : List.copyOf(buildpacks);
        if (buildpacks.size() > MAX_BUILDPACKS
                || buildpacks.stream().anyMatch(b -> b.length() > MAX_BUILDPACK_LENGTH)) {
            throw new IllegalArgumentException("an app has at most " + MAX_BUILDPACKS + " buildpacks of at most "
                    + MAX_BUILDPACK_LENGTH + " characters each");
        }
        if (killGraceSeconds != null
                && (killGraceSeconds < MIN_KILL_GRACE_SECONDS || killGraceSeconds > MAX_KILL_GRACE_SECONDS)) {
            throw new IllegalArgumentException("the kill grace must be from " + MIN_KILL_GRACE_SECONDS + " to "
                    + MAX_KILL_GRACE_SECONDS + " seconds, not " + killGraceSeconds);
        }
        constraints = constraints(name, constraints);
        sizes = sizes == null ? Map.of() : Map.copyOf(sizes);
        ProcessTypes.requireStoredKeys(sizes, "the sizes of app " + name);
        if (team != null && team.isBlank()) {
            throw new IllegalArgumentException("the team of app " + name + " must not be blank when given");
        }
        restarts = restarts == null ? Map.of() : Map.copyOf(restarts);
        if (restarts.size() > MAX_RESTART_ENTRIES || restarts.values().stream().anyMatch(n -> n == null || n < 0)) {
            throw new IllegalArgumentException("the restart generations of app " + name + " are at most "
                    + MAX_RESTART_ENTRIES + " whole numbers from 0");
        }
        stops = stops == null ? Map.of() : Map.copyOf(stops);
        if (stops.size() > MAX_RESTART_ENTRIES || stops.values().stream().anyMatch(n -> n == null || n < 0)) {
            throw new IllegalArgumentException("the stop generations of app " + name + " are at most "
                    + MAX_RESTART_ENTRIES + " whole numbers from 0");
        }
        if (deployTimeoutSeconds != null && (deployTimeoutSeconds < MIN_DEPLOY_TIMEOUT_SECONDS
                || deployTimeoutSeconds > MAX_DEPLOY_TIMEOUT_SECONDS)) {
            throw new IllegalArgumentException("the deploy timeout must be from " + MIN_DEPLOY_TIMEOUT_SECONDS
                    + " to " + MAX_DEPLOY_TIMEOUT_SECONDS + " seconds, not " + deployTimeoutSeconds);
        }
        domains = domains == null ? List.of() : List.copyOf(new java.util.TreeSet<>(domains));
        if (domains.size() > MAX_DOMAINS) {
            throw new IllegalArgumentException("app " + name + " has " + domains.size() + " domains: at most "
                    + MAX_DOMAINS);
        }
    }

    private static Map<String, List<String>> constraints(String name, Map<String, List<String>> byType) {
        if (byType == null) {
            return Map.of();
        }
        ProcessTypes.requireStoredKeys(byType, "the constraints of app " + name);
        Map<String, List<String>> kept = new TreeMap<>();
        byType.forEach((type, list) -> {
            List<String> copy = list == null ? List.of() : List.copyOf(list);
            if (copy.size() > MAX_CONSTRAINTS) {
                throw new IllegalArgumentException("process type " + type + " of app " + name + " has " + copy.size()
                        + " constraints: at most " + MAX_CONSTRAINTS);
            }
            copy.forEach(c -> {
                if (c.isBlank() || c.length() > MAX_CONSTRAINT_LENGTH) {
                    throw new IllegalArgumentException("a constraint of process type " + type + " of app " + name
                            + " is blank or longer than " + MAX_CONSTRAINT_LENGTH + " characters");
                }
            });
            if (!copy.isEmpty()) {
                kept.put(type, copy);
            }
        });
        return Map.copyOf(kept);
    }

    /**
     * An app as stored: a formation entry no version could run is left out (see
     * {@link ProcessTypes#readable}), so that an app an older version let grow still reads.
     */
    @JsonCreator
    static App stored(@JsonProperty("name") String name, @JsonProperty("formation") Map<String, Integer> formation,
                      @JsonProperty("release") int release, @JsonProperty("created_at") Instant createdAt,
                      @JsonProperty("buildpacks") List<String> buildpacks,
                      @JsonProperty("kill_grace_seconds") Integer killGraceSeconds,
                      @JsonProperty("constraints") Map<String, List<String>> constraints,
                      @JsonProperty("sizes") Map<String, Size> sizes, @JsonProperty("team") String team,
                      @JsonProperty("restarts") Map<String, Integer> restarts,
                      @JsonProperty("deploy_timeout_seconds") Integer deployTimeoutSeconds,
                      @JsonProperty("domains") List<String> domains,
                      @JsonProperty("stops") Map<String, Integer> stops,
                      @JsonProperty("https_only") Boolean httpsOnly) {
        return new App(name, ProcessTypes.readable(formation), release, createdAt, buildpacks, killGraceSeconds,
                constraints, sizes, team, restarts, deployTimeoutSeconds, domains, stops,
                Boolean.TRUE.equals(httpsOnly));
    }

    /** A new app of no team (only admins reach it). */
    public static App created(String name, Instant now) {
        return named(name).createdAt(now).build();
    }

    /** A new app of {@code team}. */
    public static App created(String name, String team, Instant now) {
        return named(name).team(team).createdAt(now).build();
    }

    /** A builder of app {@code name}: every other part has its default until set. */
    public static Builder named(String name) {
        return new Builder(name);
    }

    /** A builder that starts from this app: what it is not told to change stays. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    public App withRelease(int newRelease) {
        return toBuilder().release(newRelease).build();
    }

    public App withFormation(Map<String, Integer> newFormation) {
        return toBuilder().formation(newFormation).build();
    }

    /** The app with {@code newBuildpacks} (empty: detect) for its next builds. */
    public App withBuildpacks(List<String> newBuildpacks) {
        return toBuilder().buildpacks(newBuildpacks).build();
    }

    /** The app with {@code seconds} of kill grace for its instances, or null for the framework's default. */
    public App withKillGraceSeconds(Integer seconds) {
        return toBuilder().killGraceSeconds(seconds).build();
    }

    /** The app with {@code list} as the constraints of process type {@code type} (empty: none). */
    public App withConstraints(String type, List<String> list) {
        Map<String, List<String>> next = new TreeMap<>(constraints);
        next.put(type, list);
        return toBuilder().constraints(next).build();
    }

    /** The app with {@code size} for the instances of process type {@code type}. */
    public App withSize(String type, Size size) {
        Map<String, Size> next = new TreeMap<>(sizes);
        next.put(type, size);
        return toBuilder().sizes(next).build();
    }

    /**
     * The restart generation of slot {@code index} of {@code type}: its type's plus its own. Both
     * only grow, so an instance launched at a lower generation than its slot's was launched before
     * the last restart that concerns it.
     */
    public int restartOf(String type, int index) {
        return restarts.getOrDefault(type, 0) + restarts.getOrDefault(type + "." + index, 0);
    }

    /**
     * The app with the generation of {@code target} raised by one: a process type ({@code web})
     * restarts each of its slots, a slot ({@code web.2}) only itself.
     */
    public App restarted(String target) {
        Map<String, Integer> next = new TreeMap<>(restarts);
        next.merge(target, 1, Integer::sum);
        return toBuilder().restarts(next).build();
    }

    /**
     * The app with {@code target} stopped ({@code ps:stop}): a process type ({@code web}) or a slot
     * ({@code web.2}) is restarted, and the instances launched before are to stop at once rather
     * than once their replacements are ready. {@code quantity} is the type's count in the formation.
     */
    public App stopped(String target, int quantity) {
        App restarted = restarted(target);
        int dot = target.lastIndexOf('.');
        String type = dot < 0 ? target : target.substring(0, dot);
        Map<String, Integer> next = new TreeMap<>(stops);
        if (dot < 0) {
            for (int index = 1; index <= quantity; index++) {
                next.put(type + "." + index, restarted.restartOf(type, index));
            }
        } else {
            next.put(target, restarted.restartOf(type, Integer.parseInt(target.substring(dot + 1))));
        }
        return toBuilder().restarts(restarted.restarts()).stops(next).build();
    }

    /** The restart generation below which an instance of slot {@code index} of {@code type} stops at once. */
    public int stopOf(String type, int index) {
        return stops.getOrDefault(type + "." + index, 0);
    }

    /** The app with {@code seconds} as its deploy timeout, or null for the default. */
    public App withDeployTimeoutSeconds(Integer seconds) {
        return toBuilder().deployTimeoutSeconds(seconds).build();
    }

    /** The app with {@code hostname} among its custom domains. */
    public App withDomain(String hostname) {
        List<String> next = new java.util.ArrayList<>(domains);
        next.add(hostname);
        return toBuilder().domains(next).build();
    }

    /** The app without {@code hostname} among its custom domains. */
    public App withoutDomain(String hostname) {
        List<String> next = new java.util.ArrayList<>(domains);
        next.remove(hostname);
        return toBuilder().domains(next).build();
    }

    /** How long a deployment may take to become healthy. */
    public int deployTimeoutSecondsOrDefault() {
        return deployTimeoutSeconds == null ? DEFAULT_DEPLOY_TIMEOUT_SECONDS : deployTimeoutSeconds;
    }

    /** The size of process type {@code type}, null when it has the framework's default. */
    public Size sizeOf(String type) {
        return sizes.get(type);
    }

    /** The constraints of process type {@code type}, empty when it has none. */
    public List<String> constraintsOf(String type) {
        return constraints.getOrDefault(type, List.of());
    }

    /** The kill grace its instances get: the app's own, else {@code frameworkDefault}. */
    public int killGraceSecondsOr(int frameworkDefault) {
        return killGraceSeconds == null ? frameworkDefault : killGraceSeconds;
    }

    /** Buildpack URLs may carry credentials ({@code https://user:token@host/...}): those are masked. */
    @Override
    public String toString() {
        return "App[name=" + name + ", formation=" + formation + ", release=" + release + ", createdAt=" + createdAt
                + ", buildpacks=" + buildpacks.stream().map(b -> b.replaceAll("://[^/@]*@", "://***@")).toList()
                + ", killGraceSeconds=" + killGraceSeconds + ", constraints=" + constraints + ", sizes=" + sizes
                + ", team=" + team + ", restarts=" + restarts + ", deployTimeoutSeconds=" + deployTimeoutSeconds
                + ", domains=" + domains + ", stops=" + stops + ", httpsOnly=" + httpsOnly + "]";
    }

    /** The formation with {@code type} scaled to {@code quantity}. */
    public App scaled(String type, int quantity) {
        Map<String, Integer> next = new TreeMap<>(formation);
        next.put(type, quantity);
        return withFormation(next);
    }

    /**
     * Builds an app part by part; a part not set has the default a stored app without it reads
     * with. Adding a part to {@link App} adds one field and one setter here, and no call site changes.
     * The record's checks run in {@link #build()}.
     */
    public static final class Builder {
        private final String name;
        private Map<String, Integer> formation = Map.of();
        private int release;
        private Instant createdAt;
        private List<String> buildpacks = List.of();
        private Integer killGraceSeconds;
        private Map<String, List<String>> constraints = Map.of();
        private Map<String, Size> sizes = Map.of();
        private String team;
        private Map<String, Integer> restarts = Map.of();
        private Integer deployTimeoutSeconds;
        private List<String> domains = List.of();
        private Map<String, Integer> stops = Map.of();
        private boolean httpsOnly;

        private Builder(String name) {
            this.name = name;
        }

        private Builder(App app) {
            name = app.name;
            formation = app.formation;
            release = app.release;
            createdAt = app.createdAt;
            buildpacks = app.buildpacks;
            killGraceSeconds = app.killGraceSeconds;
            constraints = app.constraints;
            sizes = app.sizes;
            team = app.team;
            restarts = app.restarts;
            deployTimeoutSeconds = app.deployTimeoutSeconds;
            domains = app.domains;
            stops = app.stops;
            httpsOnly = app.httpsOnly;
        }

        public Builder formation(Map<String, Integer> formation) {
            this.formation = formation;
            return this;
        }

        public Builder release(int release) {
            this.release = release;
            return this;
        }

        /** When the app was made; null reads as the epoch. */
        public Builder createdAt(Instant createdAt) {
            this.createdAt = createdAt;
            return this;
        }

        public Builder buildpacks(List<String> buildpacks) {
            this.buildpacks = buildpacks;
            return this;
        }

        public Builder killGraceSeconds(Integer killGraceSeconds) {
            this.killGraceSeconds = killGraceSeconds;
            return this;
        }

        public Builder constraints(Map<String, List<String>> constraints) {
            this.constraints = constraints;
            return this;
        }

        public Builder sizes(Map<String, Size> sizes) {
            this.sizes = sizes;
            return this;
        }

        public Builder team(String team) {
            this.team = team;
            return this;
        }

        public Builder restarts(Map<String, Integer> restarts) {
            this.restarts = restarts;
            return this;
        }

        public Builder deployTimeoutSeconds(Integer deployTimeoutSeconds) {
            this.deployTimeoutSeconds = deployTimeoutSeconds;
            return this;
        }

        public Builder domains(List<String> domains) {
            this.domains = domains;
            return this;
        }

        public Builder stops(Map<String, Integer> stops) {
            this.stops = stops;
            return this;
        }

        public Builder httpsOnly(boolean httpsOnly) {
            this.httpsOnly = httpsOnly;
            return this;
        }

        /** The app, checked as every app is ({@link IllegalArgumentException} when a part is out of bounds). */
        public App build() {
            return new App(name, formation, release, createdAt, buildpacks, killGraceSeconds, constraints, sizes, team,
                    restarts, deployTimeoutSeconds, domains, stops, httpsOnly);
        }
    }
}
