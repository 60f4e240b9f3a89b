package dev.slipway.slug;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipParameters;

/**
 * Packs an app tree into a slug: a gzip tar whose entries all start with {@code ./app/}, so that
 * it unpacks to {@code app/...} (Heroku's slug layout, and what the executor expects in the
 * Mesos sandbox).
 *
 * <p>The slug is reproducible: the same tree gives the same bytes, hence the same digest.
 * Entries are sorted by name; modes are {@code 0755} for directories and files with an
 * executable bit, {@code 0644} for other files; owner 0:0; every mtime is
 * {@link #MTIME} (after 1980, which zip tools at run time need); the gzip header has no name and
 * no time. Symlinks are kept when they resolve inside the tree and skipped with a warning
 * otherwise; sockets, FIFOs and devices are skipped with a warning.
 */
final class SlugPacker {
    static final FileTime MTIME = FileTime.from(Instant.parse("2000-01-01T00:00:00Z"));
    static final String PREFIX = "./app/";

    private final Path root;
    private final SlugIgnore ignore;
    private final Consumer<String> warnings;
    private long excluded;

    /**
     * @param warnings receives a line for each path that is skipped for a reason other than
     *                 .slugignore
     */
    SlugPacker(Path root, SlugIgnore ignore, Consumer<String> warnings) {
        this.root = root;
        this.ignore = ignore;
        this.warnings = warnings;
    }

    /** Writes the slug to {@code out} and closes it. */
    void pack(OutputStream out) throws IOException {
        GzipParameters gzip = new GzipParameters();
        gzip.setModificationTime(0);
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(
                new GzipCompressorOutputStream(out, gzip), StandardCharsets.UTF_8.name())) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
            tar.setAddPaxHeadersForNonAsciiNames(true);
            put(tar, entry(PREFIX, TarConstants.LF_DIR, 0755));
            walk(tar, root, "");
            tar.finish();
        }
    }

    /** Paths .slugignore left out (a directory counts once). */
    long excluded() {
        return excluded;
    }

    private void walk(TarArchiveOutputStream tar, Path dir, String prefix) throws IOException {
        List<Path> children;
        try (Stream<Path> listing = Files.list(dir)) {
            children = listing.sorted((a, b) -> a.getFileName().toString().compareTo(b.getFileName().toString()))
                    .toList();
        }
        for (Path child : children) {
            String relative = prefix + child.getFileName();
            PosixFileAttributes attributes = Files.readAttributes(child, PosixFileAttributes.class,
                    LinkOption.NOFOLLOW_LINKS);
            if (ignore.excludes(relative, attributes.isDirectory())) {
                excluded++;
                continue;
            }
            if (attributes.isDirectory()) {
                put(tar, entry(PREFIX + relative + "/", TarConstants.LF_DIR, 0755));
                walk(tar, child, relative + "/");
            } else if (attributes.isSymbolicLink()) {
                symlink(tar, child, relative);
            } else if (attributes.isRegularFile()) {
                file(tar, child, relative, attributes);
            } else {
                warnings.accept("skipping " + relative + ": not a file, directory or symlink");
            }
        }
    }

    private void symlink(TarArchiveOutputStream tar, Path link, String relative) throws IOException {
        String target = Files.readSymbolicLink(link).toString();
        if (FileTree.resolveInside(root, Path.of(relative)).isEmpty()) {
            warnings.accept("skipping symlink " + relative + " -> " + target + ": it points outside the app");
            return;
        }
        TarArchiveEntry entry = entry(PREFIX + relative, TarConstants.LF_SYMLINK, 0777);
        entry.setLinkName(target);
        put(tar, entry);
    }

    private void file(TarArchiveOutputStream tar, Path file, String relative, PosixFileAttributes attributes)
            throws IOException {
        boolean executable = attributes.permissions().contains(PosixFilePermission.OWNER_EXECUTE)
                || attributes.permissions().contains(PosixFilePermission.GROUP_EXECUTE)
                || attributes.permissions().contains(PosixFilePermission.OTHERS_EXECUTE);
        TarArchiveEntry entry = entry(PREFIX + relative, TarConstants.LF_NORMAL, executable ? 0755 : 0644);
        entry.setSize(attributes.size());
        tar.putArchiveEntry(entry);
        try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
            in.transferTo(tar);
        }
        tar.closeArchiveEntry();
    }

    private static TarArchiveEntry entry(String name, byte type, int permissions) {
        TarArchiveEntry entry = new TarArchiveEntry(name, type);
        int fileType = switch (type) {
            case TarConstants.LF_DIR -> 0040000;
            case TarConstants.LF_SYMLINK -> 0120000;
            default -> 0100000;
        };
        entry.setMode(fileType | permissions);
        entry.setModTime(MTIME);
        entry.setIds(0, 0);
        entry.setUserName("");
        entry.setGroupName("");
        return entry;
    }

    private static void put(TarArchiveOutputStream tar, TarArchiveEntry entry) throws IOException {
        tar.putArchiveEntry(entry);
        tar.closeArchiveEntry();
    }
}
