package dev.slipway.slug;

import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

/**
 * One unpacking of a source archive: the streams, the target and what has been written so far.
 * {@link SourceArchive} documents what it guarantees and refuses.
 */
final class Unpacking {
    static final String NOT_GZIP = "upload is not a gzip-compressed tar archive";
    private static final int MAX_NAME_CHARS = 3072;
    private static final int MAX_SEGMENT_BYTES = 255;
    private static final Set<PosixFilePermission> EXECUTABLE = PosixFilePermissions.fromString("rwxr-xr-x");
    private static final Set<PosixFilePermission> REGULAR = PosixFilePermissions.fromString("rw-r--r--");

    private final Path root;
    private final long maxEntries;
    private final long maxBytes;
    /** Directories known to be real directories (created or checked): never replaced later. */
    private final Set<Path> directories = new HashSet<>();
    private final List<Path> symlinks = new ArrayList<>();
    private final byte[] buffer = new byte[64 * 1024];
    private InflatedLimit inflated;
    private long entries;

    Unpacking(Path root, long maxEntries, long maxBytes) {
        this.root = root;
        this.maxEntries = maxEntries;
        this.maxBytes = maxBytes;
    }

    void run(InputStream source) {
        BufferedInputStream buffered = new BufferedInputStream(new Unclosable(source), buffer.length);
        requireGzip(buffered);
        try (TarArchiveInputStream tar = openTar(buffered)) {
            for (TarArchiveEntry entry = next(tar); entry != null; entry = next(tar)) {
                if (++entries > maxEntries) {
                    throw new InvalidSource("upload has more than " + maxEntries + " entries");
                }
                unpack(entry, tar);
            }
            drain();
            checkSymlinks();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot unpack source into " + root, e);
        }
    }

    private void requireGzip(BufferedInputStream in) {
        try {
            in.mark(2);
            byte[] magic = in.readNBytes(2);
            in.reset();
            if (!GzipCompressorInputStream.matches(magic, magic.length)) {
                throw new InvalidSource(NOT_GZIP);
            }
        } catch (IOException e) {
            throw corrupt(e);
        }
    }

    private TarArchiveInputStream openTar(InputStream gzipped) {
        try {
            GzipCompressorInputStream gunzip = GzipCompressorInputStream.builder()
                    .setInputStream(gzipped)
                    .setDecompressConcatenated(true)
                    .get();
            inflated = new InflatedLimit(gunzip, maxBytes);
            return new TarArchiveInputStream(inflated, StandardCharsets.UTF_8.name());
        } catch (IOException | IllegalArgumentException e) {
            throw corrupt(e);
        }
    }

    private TarArchiveEntry next(TarArchiveInputStream tar) {
        try {
            return tar.getNextEntry();
        } catch (IOException | IllegalArgumentException e) {
            throw corrupt(e);
        }
    }

    private int read(InputStream in) {
        try {
            return in.read(buffer);
        } catch (IOException | IllegalArgumentException e) {
            throw corrupt(e);
        }
    }

    /** Reads what follows the tar's end (padding, the gzip trailer) so that the CRC is checked. */
    private void drain() {
        while (read(inflated) >= 0) {
            // the bytes count against the size limit; nothing else to do with them
        }
    }

    private InvalidSource corrupt(Exception e) {
        if (inflated != null && inflated.exceeded()) {
            return tooLarge();
        }
        String detail = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return new InvalidSource("upload is not a valid gzip-compressed tar archive (" + detail + ")", e);
    }

    private void unpack(TarArchiveEntry entry, TarArchiveInputStream tar) throws IOException {
        String name = entry.getName();
        if (!entry.isCheckSumOK()) {
            // the tar reader is lenient here; GNU tar is not, and neither are we
            throw new InvalidSource("upload is not a valid gzip-compressed tar archive (bad header checksum"
                    + " for entry '" + abbreviate(name) + "')");
        }
        if (entry.isLink()) {
            throw refused(name, "is a hard link: hard links are not supported, use a symlink");
        }
        if (entry.isCharacterDevice() || entry.isBlockDevice()) {
            throw refused(name, "is a device file: device files are not allowed");
        }
        if (entry.isFIFO()) {
            throw refused(name, "is a FIFO: named pipes are not allowed");
        }
        Path path = relativePath(name);
        if (entry.isSymbolicLink()) {
            symlink(name, path, entry.getLinkName());
        } else if (entry.isDirectory()) {
            if (path.toString().isEmpty()) {
                return;
            }
            directory(name, path);
        } else if (isRegularFile(entry)) {
            if (path.toString().isEmpty()) {
                throw refused(name, "is a file without a name");
            }
            file(name, path, entry, tar);
        } else {
            throw refused(name, "has an unsupported tar entry type '" + (char) entry.getLinkFlag() + "'");
        }
    }

    private boolean isRegularFile(TarArchiveEntry entry) {
        byte type = entry.getLinkFlag();
        return type == TarConstants.LF_NORMAL || type == TarConstants.LF_OLDNORM
                || type == TarConstants.LF_CONTIG;
    }

    /** The entry's path relative to the root, normalized; empty for the root itself. */
    private Path relativePath(String name) {
        if (name.length() > MAX_NAME_CHARS) {
            throw refused(abbreviate(name), "has a name longer than " + MAX_NAME_CHARS + " characters");
        }
        if (name.startsWith("/")) {
            throw refused(name, "has an absolute path: entries must stay inside the source directory");
        }
        Path path;
        try {
            path = Path.of(name).normalize();
        } catch (InvalidPathException e) {
            throw refused(abbreviate(name), "has an invalid name", e);
        }
        if (path.isAbsolute() || path.startsWith("..")) {
            throw refused(name, "climbs out of the source directory");
        }
        for (Path segment : path) {
            if (segment.toString().getBytes(StandardCharsets.UTF_8).length > MAX_SEGMENT_BYTES) {
                throw refused(abbreviate(name), "has a path segment longer than " + MAX_SEGMENT_BYTES + " bytes");
            }
        }
        return path;
    }

    private void directory(String entryName, Path path) throws IOException {
        for (int i = 1; i <= path.getNameCount(); i++) {
            Path dir = path.subpath(0, i);
            if (directories.contains(dir)) {
                continue;
            }
            Path absolute = root.resolve(dir);
            BasicFileAttributes existing = attributes(absolute);
            if (existing == null) {
                Files.createDirectory(absolute);
                Files.setPosixFilePermissions(absolute, EXECUTABLE);
            } else if (existing.isSymbolicLink()) {
                throw refused(entryName, "is inside the symlink '" + dir + "'");
            } else if (!existing.isDirectory()) {
                throw refused(entryName, "needs '" + dir + "' to be a directory, but an earlier entry made it a file");
            }
            directories.add(dir);
        }
    }

    private void parentsOf(String entryName, Path path) throws IOException {
        Path parent = path.getParent();
        if (parent != null) {
            directory(entryName, parent);
        }
    }

    /** Makes room for a file or symlink at {@code path}: an earlier file or symlink there goes. */
    private Path replaceable(String entryName, Path path) throws IOException {
        parentsOf(entryName, path);
        Path absolute = root.resolve(path);
        BasicFileAttributes existing = attributes(absolute);
        if (existing != null) {
            if (existing.isDirectory()) {
                throw refused(entryName, "replaces a directory of an earlier entry");
            }
            Files.delete(absolute);
        }
        return absolute;
    }

    private void file(String entryName, Path path, TarArchiveEntry entry, InputStream data) throws IOException {
        if (entry.getSize() > maxBytes) {
            throw tooLarge();
        }
        Path absolute = replaceable(entryName, path);
        try (OutputStream out = Files.newOutputStream(absolute, StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
            for (int n = read(data); n >= 0; n = read(data)) {
                out.write(buffer, 0, n);
            }
        }
        boolean executable = (entry.getMode() & 0111) != 0;
        Files.setPosixFilePermissions(absolute, executable ? EXECUTABLE : REGULAR);
    }

    private void symlink(String entryName, Path path, String target) throws IOException {
        if (path.toString().isEmpty()) {
            throw refused(entryName, "is a symlink in place of the source directory");
        }
        if (target == null || target.isEmpty()) {
            throw refused(entryName, "is a symlink without a target");
        }
        Path targetPath;
        try {
            targetPath = Path.of(target);
        } catch (InvalidPathException e) {
            throw refused(entryName, "is a symlink with an invalid target", e);
        }
        Path parent = path.getParent() == null ? Path.of("") : path.getParent();
        Path lexical = parent.resolve(targetPath).normalize();
        if (targetPath.isAbsolute() || lexical.startsWith("..")) {
            throw outsideSymlink(entryName, target);
        }
        Path absolute = replaceable(entryName, path);
        Files.createSymbolicLink(absolute, targetPath);
        symlinks.add(path);
    }

    /** Once every entry is in place: each symlink must still resolve inside, through other symlinks. */
    private InvalidSource tooLarge() {
        return new InvalidSource("upload is larger than " + ByteSize.format(maxBytes) + " uncompressed");
    }

    private void checkSymlinks() throws IOException {
        for (Path link : symlinks) {
            Path absolute = root.resolve(link);
            if (Files.isSymbolicLink(absolute) && FileTree.resolveInside(root, link).isEmpty()) {
                throw outsideSymlink(link.toString(), Files.readSymbolicLink(absolute).toString());
            }
        }
    }

    private BasicFileAttributes attributes(Path path) throws IOException {
        try {
            return Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    private static InvalidSource outsideSymlink(String entryName, String target) {
        return new InvalidSource("upload entry '" + entryName + "' is a symlink to '" + target
                + "', which is outside the source directory (or loops)");
    }

    private static InvalidSource refused(String entryName, String why) {
        return new InvalidSource("upload entry '" + entryName + "' " + why);
    }

    private static InvalidSource refused(String entryName, String why, Throwable cause) {
        return new InvalidSource("upload entry '" + entryName + "' " + why, cause);
    }

    private static String abbreviate(String name) {
        String printable = name.replace('\0', '?');
        return printable.length() <= 80 ? printable : printable.substring(0, 77) + "...";
    }

    /** Keeps the caller's stream open when the gzip and tar streams over it are closed. */
    private static final class Unclosable extends FilterInputStream {
        Unclosable(InputStream in) {
            super(in);
        }

        @Override
        public void close() {
            // the caller owns the upload stream
        }
    }
}
