package dev.slipway.zk;

import com.fasterxml.jackson.annotation.JsonCreator;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * An immutable release: a slug and the process types it can run, numbered v1, v2, ... Bounded like
 * an {@link App} ({@link ProcessTypes}, {@link #MAX_CONFIG_VARS}); a longer description is cut.
 *
 * @param slug         the slug's sha256 digest (hex), its name in the slug store
 * @param processTypes process type name to command, from the Procfile
 * @param configVars   the defaults the buildpacks' {@code bin/release} asked for
 *                     ({@code NODE_ENV=production}), set in every instance's environment under
 *                     what Slipway sets itself; releases stored before this field read as empty.
 *                     Values may be secret: never log them
 * @param healthChecks the health check per process type, from the app's {@code app.json}, as the
 *                     executor reads it (docs/health-checks.md); a type without one gets the
 *                     default (a TCP boot check for web)
 * @param userConfig   the app's own config vars when this release was made ({@link ConfigVars}: what
 *                     users set with {@code config:set}); they win over the buildpacks' defaults, and a
 *                     rollback to this release restores them. Releases stored before this field read
 *                     as empty. Secret: never log them
 * @param user         who made it: the name of the API user whose build, config change or rollback
 *                     it is, or {@value #SLIPWAY} for one Slipway made itself (an automatic
 *                     rollback); null when unknown (releases stored before this field)
 */
public record Release(int version, String slug, long slugSize, Map<String, String> processTypes,
                      Map<String, String> configVars, Map<String, Map<String, Object>> healthChecks,
                      String description, Instant createdAt, Map<String, String> userConfig, String user) {
    /** The user of the releases Slipway makes on its own (automatic rollbacks). */
    public static final String SLIPWAY = "slipway";

    /** The buildpacks' config vars a release keeps (Heroku allows 64 KB of config in all). */
    public static final int MAX_CONFIG_VARS = 100;
    public static final int MAX_CONFIG_CHARS = 32 * 1024;
    public static final int MAX_DESCRIPTION_LENGTH = 500;

    @JsonCreator
    public Release {
        if (version < 1) {
            throw new IllegalArgumentException("release versions start at 1");
        }
        Objects.requireNonNull(slug, "slug");
        processTypes = processTypes == null ? Map.of() : Map.copyOf(processTypes);
        ProcessTypes.requireStoredKeys(processTypes, "release v" + version);
        processTypes.forEach((type, command) -> {
            if (command.length() > ProcessTypes.MAX_COMMAND_LENGTH) {
                throw new IllegalArgumentException("release v" + version + ": the command of process type " + type
                        + " is longer than " + ProcessTypes.MAX_COMMAND_LENGTH + " characters");
            }
        });
        configVars = configVars == null ? Map.of() : Map.copyOf(configVars);
        int configSize = configVars.entrySet().stream().mapToInt(e -> e.getKey().length() + e.getValue().length()).sum();
        if (configVars.size() > MAX_CONFIG_VARS || configSize > MAX_CONFIG_CHARS) {
            // Names only: values may be secret.
            throw new IllegalArgumentException("release v" + version + ": at most " + MAX_CONFIG_VARS
                    + " config vars of " + MAX_CONFIG_CHARS + " characters in all, not " + configVars.size() + " of "
                    + configSize);
        }
        healthChecks = healthChecks == null ? Map.of() : Map.copyOf(healthChecks);
        ProcessTypes.requireStoredKeys(healthChecks, "the health checks of release v" + version);
        description = description == null ? "" : description;
        if (description.length() > MAX_DESCRIPTION_LENGTH) {
            description = description.substring(0, MAX_DESCRIPTION_LENGTH - 3) + "...";
        }
        createdAt = createdAt == null ? Instant.EPOCH : createdAt;
        userConfig = new ConfigVars(userConfig).vars();
        if (user != null && (user.isEmpty() || user.length() > 100)) {
            throw new IllegalArgumentException("release v" + version + ": a user's name is 1 to 100 characters");
        }
    }

    /** A release made by no known user (as those stored before releases named theirs). */
    public Release(int version, String slug, long slugSize, Map<String, String> processTypes,
                   Map<String, String> configVars, Map<String, Map<String, Object>> healthChecks,
                   String description, Instant createdAt, Map<String, String> userConfig) {
        this(version, slug, slugSize, processTypes, configVars, healthChecks, description, createdAt, userConfig,
                null);
    }

    /** This release, made by {@code newUser}. */
    public Release madeBy(String newUser) {
        return new Release(version, slug, slugSize, processTypes, configVars, healthChecks, description, createdAt,
                userConfig, newUser);
    }

    /** A release with no config vars of the app's own. */
    public Release(int version, String slug, long slugSize, Map<String, String> processTypes,
                   Map<String, String> configVars, Map<String, Map<String, Object>> healthChecks,
                   String description, Instant createdAt) {
        this(version, slug, slugSize, processTypes, configVars, healthChecks, description, createdAt, Map.of());
    }

    /**
     * The config vars its instances get: the buildpacks' defaults, overridden by the app's own
     * (a buildpack never overrides a var a user set).
     */
    public Map<String, String> environment() {
        Map<String, String> env = new java.util.TreeMap<>(configVars);
        env.putAll(userConfig);
        return env;
    }

    /** The names of every config var its instances get (never their values). */
    public java.util.SortedSet<String> configVarNames() {
        java.util.SortedSet<String> names = new java.util.TreeSet<>(configVars.keySet());
        names.addAll(userConfig.keySet());
        return names;
    }

    /**
     * The next release, {@code version}, of this slug with the app's config vars {@code config}
     * (a config change, or a rollback to this release with its own config), made by {@code by}.
     */
    public Release next(int version, Map<String, String> config, String description, Instant at, String by) {
        return new Release(version, slug, slugSize, processTypes, configVars, healthChecks, description, at, config,
                by);
    }

    /** As {@link #next(int, Map, String, Instant, String)}, by no known user. */
    public Release next(int version, Map<String, String> config, String description, Instant at) {
        return next(version, config, description, at, null);
    }

    /** A release with the default health checks. */
    public Release(int version, String slug, long slugSize, Map<String, String> processTypes,
                   Map<String, String> configVars, String description, Instant createdAt) {
        this(version, slug, slugSize, processTypes, configVars, Map.of(), description, createdAt);
    }

    /** A release whose buildpacks ask for no config vars, with the default health checks. */
    public Release(int version, String slug, long slugSize, Map<String, String> processTypes, String description,
                   Instant createdAt) {
        this(version, slug, slugSize, processTypes, Map.of(), Map.of(), description, createdAt);
    }

    /**
     * This release's slug, process types, config and health checks as release {@code newVersion}:
     * an automatic rollback to it, made by {@value #SLIPWAY}.
     */
    public Release copiedAs(int newVersion, String newDescription, Instant now) {
        return next(newVersion, userConfig, newDescription, now, SLIPWAY);
    }

    /** Shows the config var names only: their values may be secret. */
    @Override
    public String toString() {
        return "Release[v" + version + ", slug=" + slug + ", slugSize=" + slugSize + ", processTypes=" + processTypes
                + ", configVars=" + new java.util.TreeSet<>(configVars.keySet())
                + ", userConfig=" + new java.util.TreeSet<>(userConfig.keySet()) + ", healthChecks=" + healthChecks
                + ", description=" + description
                + ", createdAt=" + createdAt + ", user=" + user + "]";
    }
}
