package dev.slipway.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;

/** Packs an app's directory as the gzip tar the builds API takes, leaving out {@code .git}. */
final class SourceTarball {
    private SourceTarball() {
    }

    static Path create(Path dir) throws IOException {
        Path tarball = Files.createTempFile("slipway-source-", ".tgz");
        try (OutputStream file = Files.newOutputStream(tarball);
             GzipCompressorOutputStream gzip = new GzipCompressorOutputStream(file);
             TarArchiveOutputStream tar = new TarArchiveOutputStream(gzip)) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) throws IOException {
                    if (d.getFileName() != null && d.getFileName().toString().equals(".git") && !d.equals(dir)) {
                        return FileVisitResult.SKIP_SUBTREE;
                    }
                    if (!d.equals(dir)) {
                        add(tar, dir, d);
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) throws IOException {
                    add(tar, dir, f);
                    return FileVisitResult.CONTINUE;
                }
            });
            tar.finish();
        } catch (IOException e) {
            Files.deleteIfExists(tarball);
            throw e;
        }
        return tarball;
    }

    private static void add(TarArchiveOutputStream tar, Path root, Path path) throws IOException {
        String name = root.relativize(path).toString().replace('\\', '/');
        if (Files.isSymbolicLink(path)) {
            TarArchiveEntry entry = new TarArchiveEntry(name, TarArchiveEntry.LF_SYMLINK);
            entry.setLinkName(Files.readSymbolicLink(path).toString());
            tar.putArchiveEntry(entry);
            tar.closeArchiveEntry();
            return;
        }
        // Built by hand: commons-compress's entries from a Path leave out the mode (so scripts
        // lost their executable bit) and add PAX headers that GNU tar warns about.
        boolean directory = Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS);
        TarArchiveEntry entry = new TarArchiveEntry(directory ? name + "/" : name);
        entry.setMode(directory ? 040755 : executable(path) ? 0100755 : 0100644);
        entry.setModTime(Files.getLastModifiedTime(path, LinkOption.NOFOLLOW_LINKS));
        if (!directory) {
            entry.setSize(Files.size(path));
        }
        tar.putArchiveEntry(entry);
        if (Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS)) {
            Files.copy(path, tar);
        }
        tar.closeArchiveEntry();
    }

    private static boolean executable(Path file) throws IOException {
        try {
            Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file, LinkOption.NOFOLLOW_LINKS);
            return permissions.contains(PosixFilePermission.OWNER_EXECUTE)
                    || permissions.contains(PosixFilePermission.GROUP_EXECUTE)
                    || permissions.contains(PosixFilePermission.OTHERS_EXECUTE);
        } catch (UnsupportedOperationException e) {
            return Files.isExecutable(file);
        }
    }
}
