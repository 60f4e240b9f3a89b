package dev.slipway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SourceTarballTest {
    @TempDir
    Path tmp;

    @Test
    void keepsTheExecutableBitOfScriptsAndLeavesOutGitAsTarListsIt() throws Exception {
        Path app = tmp.resolve("app");
        Files.createDirectories(app.resolve("bin"));
        Files.createDirectories(app.resolve(".git"));
        Files.writeString(app.resolve("bin/start"), "#!/bin/sh\necho hi\n");
        Files.setPosixFilePermissions(app.resolve("bin/start"), PosixFilePermissions.fromString("rwxr--r--"));
        Files.writeString(app.resolve("Procfile"), "web: ./bin/start\n");
        Files.writeString(app.resolve(".git/HEAD"), "ref: refs/heads/main\n");

        Path tarball = SourceTarball.create(app);
        try {
            Process tar = new ProcessBuilder("tar", "-tvzf", tarball.toString()).redirectErrorStream(true).start();
            List<String> listing = new String(tar.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();

            assertThat(tar.waitFor()).isZero();
            assertThat(listing).anyMatch(line -> line.startsWith("-rwxr-xr-x") && line.endsWith(" bin/start"))
                    .anyMatch(line -> line.startsWith("-rw-r--r--") && line.endsWith(" Procfile"))
                    .noneMatch(line -> line.contains(".git"))
                    .noneMatch(line -> line.contains("Ignoring unknown extended header"));
        } finally {
            Files.deleteIfExists(tarball);
        }
    }
}
