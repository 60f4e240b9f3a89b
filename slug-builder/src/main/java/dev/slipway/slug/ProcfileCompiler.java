package dev.slipway.slug;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds an app that needs no buildpack: the source tree, minus what {@code .slugignore} leaves
 * out, is the slug, and the Procfile at its root says how to run it.
 *
 * <p>Output, streamed line by line:
 * <pre>
 * -----> Procfile app detected
 * -----> Compressing... done, 1.2 KB
 * -----> Launching... process types: web, worker
 * </pre>
 * with {@code  !     } warning lines for skipped paths and .slugignore lines.
 *
 * <p>Fails with {@link BuildFailed} when there is no Procfile (or it is not a file in the tree),
 * when the Procfile or .slugignore is malformed, and when the compressed slug would be larger
 * than {@code maxSlugBytes}; nothing is stored then.
 */
public final class ProcfileCompiler implements SlugCompiler {
    public static final long DEFAULT_MAX_SLUG_BYTES = 500L * 1024 * 1024;
    static final String NO_PROCFILE = "no Procfile found at the root of the app: add one, e.g. `web: ./start.sh`";

    private static final Logger log = LoggerFactory.getLogger(ProcfileCompiler.class);

    private final SlugStore store;
    private final long maxSlugBytes;

    /** With Heroku's limit of 500 MB per compressed slug. */
    public ProcfileCompiler(SlugStore store) {
        this(store, DEFAULT_MAX_SLUG_BYTES);
    }

    public ProcfileCompiler(SlugStore store, long maxSlugBytes) {
        this.store = Objects.requireNonNull(store, "store");
        if (maxSlugBytes < 1) {
            throw new IllegalArgumentException("maxSlugBytes must be positive");
        }
        this.maxSlugBytes = maxSlugBytes;
    }

    @Override
    public CompiledSlug compile(BuildRequest request) {
        Path source = request.sourceDir();
        Consumer<String> output = request.output();
        Procfile procfile = readProcfile(source);
        output.accept("-----> Procfile app detected");

        SlugIgnore ignore = readSlugIgnore(source);
        ignore.warnings().forEach(warning -> output.accept(" !     " + warning));
        SlugPacker packer = new SlugPacker(source, ignore, warning -> output.accept(" !     " + warning));
        Slug slug = pack(store, packer, maxSlugBytes);
        output.accept("-----> Compressing... done, " + ByteSize.format(slug.size()));
        if (packer.excluded() > 0) {
            output.accept("       " + packer.excluded() + " paths left out by " + SlugIgnore.FILE_NAME);
        }
        output.accept("-----> Launching... process types: " + String.join(", ", procfile.processTypes().keySet()));
        log.info("app {}: compiled slug {} ({} bytes)", request.app(), slug.digest(), slug.size());
        return new CompiledSlug(slug, procfile.processTypes());
    }

    /**
     * Packs into the store, failing the build when the compressed slug passes {@code maxSlugBytes}.
     * Shared with {@link BuildpackCompiler}.
     */
    static Slug pack(SlugStore store, SlugPacker packer, long maxSlugBytes) {
        AtomicBoolean tooLarge = new AtomicBoolean();
        try {
            return store.write(out -> packer.pack(new SizeLimit(out, maxSlugBytes, tooLarge)));
        } catch (UncheckedIOException e) {
            if (tooLarge.get()) {
                throw new BuildFailed("the compressed slug is larger than the " + ByteSize.format(maxSlugBytes)
                        + " limit: list what the app does not need at run time in " + SlugIgnore.FILE_NAME, e);
            }
            throw e;
        }
    }

    private static Procfile readProcfile(Path source) {
        Path file = fileInTree(source, Procfile.FILE_NAME)
                .orElseThrow(() -> new BuildFailed(NO_PROCFILE));
        try {
            return Procfile.read(file);
        } catch (InvalidSource e) {
            throw new BuildFailed(e.getMessage(), e);
        }
    }

    static SlugIgnore readSlugIgnore(Path source) {
        try {
            return fileInTree(source, SlugIgnore.FILE_NAME).map(SlugIgnore::read).orElse(SlugIgnore.none());
        } catch (InvalidSource e) {
            throw new BuildFailed(e.getMessage(), e);
        }
    }

    /**
     * The regular file at {@code name} in the root, following symlinks only inside the tree;
     * empty if there is none.
     */
    static Optional<Path> fileInTree(Path root, String name) {
        Path file = root.resolve(name);
        if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            return Optional.empty();
        }
        Path resolved = FileTree.resolveInside(root, Path.of(name))
                .map(root::resolve)
                .orElseThrow(() -> new BuildFailed(name + " is a symlink that points outside the app"));
        if (!Files.isRegularFile(resolved, LinkOption.NOFOLLOW_LINKS)) {
            throw new BuildFailed(name + " must be a file");
        }
        return Optional.of(resolved);
    }

    /** Fails the write once more than the limit has been written; the flag tells why it failed. */
    private static final class SizeLimit extends FilterOutputStream {
        private final long limit;
        private final AtomicBoolean exceeded;
        private long count;

        SizeLimit(OutputStream out, long limit, AtomicBoolean exceeded) {
            super(out);
            this.limit = limit;
            this.exceeded = exceeded;
        }

        @Override
        public void write(int b) throws IOException {
            counted(1);
            out.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            counted(len);
            out.write(b, off, len);
        }

        private void counted(long n) throws IOException {
            count += n;
            if (count > limit) {
                exceeded.set(true);
                throw new IOException("slug size limit of " + limit + " bytes exceeded");
            }
        }
    }
}
