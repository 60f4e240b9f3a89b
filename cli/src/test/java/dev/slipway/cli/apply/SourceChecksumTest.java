package dev.slipway.cli.apply;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SourceChecksumTest {
    @TempDir
    Path dir;

    @Test
    void theChecksumFollowsContentNamesAndTheExecutableBitButNotTimesNorGit() throws Exception {
        Files.writeString(dir.resolve("Procfile"), "web: ./run\n");
        Files.createDirectories(dir.resolve("bin"));
        Files.writeString(dir.resolve("bin/run"), "#!/bin/sh\n");
        String first = SourceChecksum.of(dir);
        assertThat(first).matches("sha256:[0-9a-f]{64}");

        Files.setLastModifiedTime(dir.resolve("Procfile"), FileTime.fromMillis(0));
        Files.createDirectories(dir.resolve(".git/objects"));
        Files.writeString(dir.resolve(".git/HEAD"), "ref: refs/heads/main\n");
        assertThat(SourceChecksum.of(dir)).isEqualTo(first);

        Files.setPosixFilePermissions(dir.resolve("bin/run"), PosixFilePermissions.fromString("rwxr-xr-x"));
        String executable = SourceChecksum.of(dir);
        assertThat(executable).isNotEqualTo(first);

        Files.writeString(dir.resolve("Procfile"), "web: ./run --fast\n");
        assertThat(SourceChecksum.of(dir)).isNotEqualTo(executable);

        Files.writeString(dir.resolve("Procfile"), "web: ./run\n");
        Files.move(dir.resolve("bin/run"), dir.resolve("bin/start"));
        assertThat(SourceChecksum.of(dir)).isNotEqualTo(executable);
    }
}
