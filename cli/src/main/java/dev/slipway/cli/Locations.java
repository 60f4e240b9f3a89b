package dev.slipway.cli;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Where things are by default. */
final class Locations {
    private Locations() {
    }

    static Path home() {
        String env = System.getenv("SLIPWAY_HOME");
        return env != null && !env.isBlank() ? Path.of(env) : Path.of(System.getProperty("user.home"), ".slipway");
    }

    /** $SLIPWAY_EXECUTOR_JAR, else executor/target/slipway-executor.jar of the build this jar came from. */
    static Path executorJar() {
        return inRepository("SLIPWAY_EXECUTOR_JAR", "executor/target/slipway-executor.jar");
    }

    /** $SLIPWAY_BUILDPACKS, else the buildpacks/ folder of the repository this jar was built in. */
    static Path buildpacks() {
        return inRepository("SLIPWAY_BUILDPACKS", "buildpacks");
    }

    /** $SLIPWAY_STACK, else the stack/ folder of the repository this jar was built in. */
    static Path stack() {
        return inRepository("SLIPWAY_STACK", "stack");
    }

    private static Path inRepository(String variable, String relative) {
        String env = System.getenv(variable);
        if (env != null && !env.isBlank()) {
            return Path.of(env);
        }
        try {
            Path self = Path.of(Locations.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            // cli/target/slipway.jar (or cli/target/classes) -> <repo>/<relative>
            Path candidate = self.getParent().getParent().getParent().resolve(relative);
            if (Files.exists(candidate)) {
                return candidate;
            }
        } catch (URISyntaxException | NullPointerException e) {
            // fall through to the working directory
        }
        return Path.of(relative).toAbsolutePath();
    }
}
