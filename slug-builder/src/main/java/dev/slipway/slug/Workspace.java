package dev.slipway.slug;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What one build works on, on this machine: the build dir (the app's source, compiled in place),
 * the app's cache dir, the ENV_DIR, and the directories of the buildpacks it may run. The
 * buildpacks are only read; the other three are written by the build.
 *
 * @param limit    the time limit for the whole build, for messages
 * @param deadline when that limit runs out, in {@link System#nanoTime()}'s terms
 */
public record Workspace(String app, Path build, Path cache, Path env, List<Path> buildpacks, Duration limit,
                        long deadline) {
    public Workspace {
        Objects.requireNonNull(app, "app");
        build = absolute(build);
        cache = absolute(cache);
        env = absolute(env);
        buildpacks = buildpacks.stream().map(Workspace::absolute).distinct().toList();
        Objects.requireNonNull(limit, "limit");
    }

    private static Path absolute(Path path) {
        return path.toAbsolutePath().normalize();
    }
}
