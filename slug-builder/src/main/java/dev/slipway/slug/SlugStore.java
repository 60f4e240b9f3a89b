package dev.slipway.slug;

import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A content-addressed store of slugs: {@code <dataDir>/slugs/<sha256>.tgz}.
 *
 * <p>A slug is written to a temporary file in the same directory while it is hashed, synced,
 * then renamed into place atomically: a reader never sees a partial slug, and storing the same
 * content twice keeps one file. Safe to use from several threads. Temporary files are named
 * {@code .incoming-*.tmp}; one left by a crash is never mistaken for a slug.
 */
public final class SlugStore {
    private static final Logger log = LoggerFactory.getLogger(SlugStore.class);

    /** Writes a slug's bytes; the stream must not be closed by it (closing is harmless). */
    @FunctionalInterface
    public interface SlugWriter {
        void writeTo(OutputStream out) throws IOException;
    }

    private final Path directory;

    /** Opens (creating if needed) the store under {@code <dataDir>/slugs}. */
    public SlugStore(Path dataDir) {
        this.directory = dataDir.resolve("slugs");
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the slug store " + directory, e);
        }
    }

    /** The directory that holds the slug files. */
    public Path directory() {
        return directory;
    }

    /**
     * Stores a copy of a slug file. Idempotent: the same content gives the same slug.
     *
     * @throws UncheckedIOException if the file cannot be read or the store written
     */
    public Slug put(Path tgzFile) {
        Objects.requireNonNull(tgzFile, "tgzFile");
        return write(out -> Files.copy(tgzFile, out));
    }

    /**
     * Stores the bytes {@code writer} writes, without a second copy on disk. If the writer throws,
     * nothing is stored and its exception comes out (an {@link IOException} wrapped in
     * {@link UncheckedIOException}).
     */
    public Slug write(SlugWriter writer) {
        Objects.requireNonNull(writer, "writer");
        Path temp = null;
        try {
            temp = Files.createTempFile(directory, ".incoming-", ".tmp");
            MessageDigest sha256 = sha256();
            long size;
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                HashingStream out = new HashingStream(new BufferedOutputStream(Channels.newOutputStream(channel),
                        64 * 1024), sha256);
                writer.writeTo(out);
                out.flushAll();
                size = out.count;
                channel.force(true);
            }
            Slug slug = new Slug(HexFormat.of().formatHex(sha256.digest()), size);
            Path target = directory.resolve(slug.fileName());
            if (Files.exists(target)) {
                Files.delete(temp);
                log.debug("slug {} is already stored", slug.digest());
            } else {
                Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rw-r--r--"));
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
                log.debug("stored slug {} ({} bytes)", slug.digest(), size);
            }
            return slug;
        } catch (IOException | RuntimeException e) {
            if (temp != null) {
                try {
                    Files.deleteIfExists(temp);
                } catch (IOException cleanup) {
                    e.addSuppressed(cleanup);
                }
            }
            if (e instanceof IOException io) {
                throw new UncheckedIOException("cannot store a slug in " + directory + ": " + io.getMessage(), io);
            }
            throw (RuntimeException) e;
        }
    }

    /**
     * The file of a stored slug; empty if {@code digest} is not 64 lowercase hex digits (so it can
     * come straight from a URL) or no such slug is stored.
     */
    public Optional<Path> path(String digest) {
        if (digest == null || !Slug.DIGEST.matcher(digest).matches()) {
            return Optional.empty();
        }
        Path file = directory.resolve(digest + ".tgz");
        return Files.isRegularFile(file) ? Optional.of(file) : Optional.empty();
    }

    /** Whether a slug with this digest is stored; false for anything that is not a digest. */
    public boolean exists(String digest) {
        return path(digest).isPresent();
    }

    /**
     * Deletes a stored slug; false when none is stored under {@code digest}. The caller makes sure
     * that nothing uses it any more (no kept release, no live instance).
     */
    public boolean delete(String digest) {
        Optional<Path> file = path(digest);
        if (file.isEmpty()) {
            return false;
        }
        try {
            return Files.deleteIfExists(file.get());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete slug " + digest + " from " + directory, e);
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    /** Hashes and counts what goes through; close only flushes, the store closes the file. */
    private static final class HashingStream extends FilterOutputStream {
        private final MessageDigest digest;
        private long count;

        HashingStream(OutputStream out, MessageDigest digest) {
            super(out);
            this.digest = digest;
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            digest.update((byte) b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            digest.update(b, off, len);
            count += len;
        }

        @Override
        public void close() throws IOException {
            out.flush();
        }

        void flushAll() throws IOException {
            out.flush();
        }
    }
}
