package dev.slipway.slug;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the framework calls to turn an uploaded source tarball into a stored slug: unpacks it
 * safely into a fresh directory under {@code <dataDir>/builds/}, compiles it, and always removes
 * that directory. Blocking (file I/O): call it from a worker thread, never an event loop. Builds
 * of different apps may run at once.
 */
public final class Builds {
    private static final Logger log = LoggerFactory.getLogger(Builds.class);

    private final Path workDir;
    private final SourceArchive archive;
    private final SlugCompiler compiler;

    /** With the default upload limits of {@link SourceArchive}. */
    public Builds(Path dataDir, SlugCompiler compiler) {
        this(dataDir, new SourceArchive(), compiler);
    }

    public Builds(Path dataDir, SourceArchive archive, SlugCompiler compiler) {
        this.workDir = dataDir.resolve("builds");
        this.archive = Objects.requireNonNull(archive, "archive");
        this.compiler = Objects.requireNonNull(compiler, "compiler");
        try {
            Files.createDirectories(workDir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the build directory " + workDir, e);
        }
    }

    /**
     * Builds {@code app} from a gzip tar of its source. The stream is read but not closed. Build
     * output goes to {@code output} line by line; a failure's message is its last line, prefixed
     * {@code  !     }.
     *
     * @throws InvalidSource        if the upload is not a usable source archive
     * @throws BuildFailed          if the source does not build
     * @throws UncheckedIOException on an I/O failure of this machine
     */
    public CompiledSlug build(String app, InputStream sourceTgz, Consumer<String> output) {
        return build(app, sourceTgz, output, Map.of(), List.of());
    }

    /**
     * As {@link #build(String, InputStream, Consumer)}, with the app's config vars (the buildpacks'
     * ENV_DIR) and its buildpacks ({@link BuildpackReference} texts, empty to detect).
     */
    public CompiledSlug build(String app, InputStream sourceTgz, Consumer<String> output, Map<String, String> config,
                              List<String> buildpacks) {
        Objects.requireNonNull(app, "app");
        Objects.requireNonNull(sourceTgz, "sourceTgz");
        Objects.requireNonNull(output, "output");
        Path work = createWorkDir();
        try {
            Path source = work.resolve("source");
            archive.unpack(sourceTgz, source);
            return compiler.compile(new BuildRequest(app, source, output, config, buildpacks));
        } catch (InvalidSource | BuildFailed e) {
            e.getMessage().lines().forEach(line -> output.accept(" !     " + line));
            log.info("app {}: build failed: {}", app, e.getMessage());
            throw e;
        } finally {
            removeWorkDir(work);
        }
    }

    private Path createWorkDir() {
        try {
            return Files.createTempDirectory(workDir, "build-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a build directory in " + workDir, e);
        }
    }

    private static void removeWorkDir(Path work) {
        try {
            FileTree.delete(work);
        } catch (UncheckedIOException e) {
            // The build's result stands; a leftover directory is for the operator to see.
            log.warn("cannot remove build directory {}", work, e);
        }
    }
}
