package dev.slipway.framework.git;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectLoader;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.treewalk.TreeWalk;

/**
 * A commit's tree as the source archive the builds take (a gzip tar, as {@code git archive}
 * would make it): regular files (0644), executables (0755) and symlinks as git records them;
 * submodules are left out (their commits are not in the repository). Written to a file a block at
 * a time, never whole in memory.
 */
final class TreeTarball {
    /** What was packed, and what was left out. */
    record Packed(int files, List<String> submodules) {
    }

    private TreeTarball() {
    }

    static Packed write(Repository repository, RevCommit commit, Path target) throws IOException {
        int files = 0;
        List<String> submodules = new ArrayList<>();
        try (OutputStream file = Files.newOutputStream(target);
             GzipCompressorOutputStream gzip = new GzipCompressorOutputStream(file);
             TarArchiveOutputStream tar = new TarArchiveOutputStream(gzip);
             ObjectReader reader = repository.newObjectReader();
             TreeWalk walk = new TreeWalk(repository, reader)) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
            walk.addTree(commit.getTree());
            walk.setRecursive(true);
            long time = commit.getCommitTime() * 1000L;
            while (walk.next()) {
                String name = walk.getPathString();
                FileMode mode = walk.getFileMode(0);
                if (mode == FileMode.GITLINK) {
                    submodules.add(name);
                    continue;
                }
                ObjectLoader blob = reader.open(walk.getObjectId(0));
                TarArchiveEntry entry;
                if (mode == FileMode.SYMLINK) {
                    entry = new TarArchiveEntry(name, TarArchiveEntry.LF_SYMLINK);
                    entry.setLinkName(new String(blob.getCachedBytes(4096), StandardCharsets.UTF_8));
                    entry.setModTime(time);
                    tar.putArchiveEntry(entry);
                } else {
                    entry = new TarArchiveEntry(name);
                    entry.setMode(mode == FileMode.EXECUTABLE_FILE ? 0100755 : 0100644);
                    entry.setSize(blob.getSize());
                    entry.setModTime(time);
                    tar.putArchiveEntry(entry);
                    blob.copyTo(tar);
                }
                tar.closeArchiveEntry();
                files++;
            }
            tar.finish();
        }
        return new Packed(files, List.copyOf(submodules));
    }
}
