package dev.slipway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MesosSecretsTest {
    @TempDir
    Path home;

    @Test
    void theFirstStartMakesSecretsOnlyTheOwnerCanReadAndLaterStartsReuseThem() throws Exception {
        MesosSecrets first = MesosSecrets.loadOrCreate(home);
        MesosSecrets again = MesosSecrets.loadOrCreate(home);

        assertThat(first.framework().principal()).isEqualTo("slipway");
        assertThat(first.framework().secret()).hasSizeGreaterThanOrEqualTo(40);
        assertThat(again.framework()).isEqualTo(first.framework());
        assertThat(again.executorSecretKey()).isEqualTo(first.executorSecretKey());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(MesosSecrets.directory(home))))
                .isEqualTo("rwx------");
        try (var files = Files.list(MesosSecrets.directory(home))) {
            assertThat(files.toList()).hasSize(2).allSatisfy(file -> assertThat(PosixFilePermissions.toString(
                    Files.getPosixFilePermissions(file))).isEqualTo("rw-------"));
        }
        assertThat(first.toString()).doesNotContain(first.framework().secret());
    }

    @Test
    void looseModesAreTightenedOnTheNextStart() throws Exception {
        MesosSecrets.loadOrCreate(home);
        Path secret = MesosSecrets.frameworkSecretFile(home);
        Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-r--r--"));
        Files.setPosixFilePermissions(MesosSecrets.directory(home), PosixFilePermissions.fromString("rwxr-xr-x"));

        MesosSecrets.loadOrCreate(home);

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(secret))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(MesosSecrets.directory(home))))
                .isEqualTo("rwx------");
    }
}
