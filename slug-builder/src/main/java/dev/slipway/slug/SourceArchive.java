package dev.slipway.slug;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Unpacks an uploaded source tarball (a gzip tar, as {@code tar czf - -C dir .} makes) into a
 * fresh directory, refusing anything unsafe.
 *
 * <p>Guarantees: nothing is written outside the target directory and nothing is written through
 * a symlink; every symlink left in the tree resolves inside it (following the tree's own
 * symlinks, as the kernel would); regular files are {@code 0755} if the archive gave them any
 * executable bit and {@code 0644} otherwise, directories {@code 0755} (no setuid, no
 * unreadable files); a later entry for the same path replaces an earlier file or symlink, as
 * {@code tar} does. On any failure the target directory is deleted with whatever was written.
 *
 * <p>Refused with {@link InvalidSource}: input that is not gzip, a corrupt gzip or tar stream,
 * entries with absolute names or names that climb out ({@code ../x}, {@code a/../../x}), entries
 * under a symlink, symlinks that resolve outside the tree (absolute targets, too many {@code ..},
 * loops), hard links, devices and FIFOs, more than {@code maxEntries} entries, and an
 * uncompressed tar stream (the size {@code gzip -l} reports) over {@code maxBytes}, counted as it
 * is inflated so that a zip bomb stops at the limit.
 */
public final class SourceArchive {
    public static final long DEFAULT_MAX_ENTRIES = 100_000;
    public static final long DEFAULT_MAX_BYTES = 1L << 30;

    private final long maxEntries;
    private final long maxBytes;

    /** Limits of 100,000 entries and 1 GB uncompressed. */
    public SourceArchive() {
        this(DEFAULT_MAX_ENTRIES, DEFAULT_MAX_BYTES);
    }

    public SourceArchive(long maxEntries, long maxBytes) {
        if (maxEntries < 1 || maxBytes < 1) {
            throw new IllegalArgumentException("source archive limits must be positive");
        }
        this.maxEntries = maxEntries;
        this.maxBytes = maxBytes;
    }

    /**
     * Unpacks {@code source} into {@code target}, which this creates and which must not exist
     * yet (its parent must). Reads {@code source} to the end of the archive; does not close it.
     *
     * @throws InvalidSource        if the upload is not usable (see the class comment); the target
     *                              is then gone
     * @throws UncheckedIOException if the target cannot be written (disk full, ...)
     * @throws IllegalArgumentException if the target already exists
     */
    public void unpack(InputStream source, Path target) {
        Objects.requireNonNull(source, "source");
        try {
            Files.createDirectory(target);
        } catch (FileAlreadyExistsException e) {
            throw new IllegalArgumentException("unpack target already exists: " + target, e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + target, e);
        }
        try {
            new Unpacking(target, maxEntries, maxBytes).run(source);
        } catch (RuntimeException e) {
            try {
                FileTree.delete(target);
            } catch (UncheckedIOException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
    }
}
