package dev.slipway.cli.apply;

import java.nio.file.Path;
import java.util.List;

/**
 * A parsed and validated apps file ({@code slipway apply -f apps.yaml}): every app once, every
 * {@code depends_on} naming an app of the file, no cycle.
 *
 * @param file the file it was read from
 */
public record AppsFile(Path file, int version, List<AppSpec> apps) {
    /** The one version of the format so far. */
    public static final int VERSION = 1;

    public AppsFile {
        apps = List.copyOf(apps);
    }
}
