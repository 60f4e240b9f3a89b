package dev.slipway.zk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ZkCredentialsTest {
    @TempDir
    Path dir;

    @Test
    void theFirstStartMakesAnOwnerOnlyFileThatLaterStartsReadBack() throws Exception {
        Path file = dir.resolve("zookeeper.credentials");
        ZkCredentials made = ZkCredentials.loadOrCreate(file);

        assertThat(mode(file)).isEqualTo("rw-------");
        assertThat(made.slipway().user()).isEqualTo("slipway");
        assertThat(made.router().user()).isEqualTo("router");
        assertThat(made.slipway().password()).hasSizeGreaterThanOrEqualTo(32).isNotEqualTo(made.router().password());
        assertThat(ZkCredentials.loadOrCreate(file)).isEqualTo(made);
        assertThat(Files.list(dir)).containsExactly(file);
    }

    @Test
    void aCredentialsFileThatOthersCouldReadIsTightened() throws Exception {
        Path file = dir.resolve("zookeeper.credentials");
        Files.writeString(file, "slipway=fw:one\nrouter=rt:two\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));

        assertThat(ZkCredentials.loadOrCreate(file)).isEqualTo(
                new ZkCredentials(ZkCredential.digest("fw", "one"), ZkCredential.digest("rt", "two")));
        assertThat(mode(file)).isEqualTo("rw-------");
    }

    @Test
    void anOperatorsFileMayHoldCommentsBlankLinesAndPasswordsWithColonsAndEquals() throws Exception {
        Path file = Files.writeString(dir.resolve("creds"), "# made by ops\n\nslipway = slipway:a:b=c/+\nrouter=router:x\n");

        ZkCredentials loaded = ZkCredentials.load(file);

        assertThat(loaded.slipway()).isEqualTo(ZkCredential.digest("slipway", "a:b=c/+"));
        assertThat(loaded.router()).isEqualTo(ZkCredential.digest("router", "x"));
    }

    @Test
    void aBadFileIsRefusedNamingTheFileAndLineButNeverThePassword() throws Exception {
        Path unknownRole = Files.writeString(dir.resolve("a"), "slipway=slipway:pw1\nadmin=root:hunter2\n");
        assertThatThrownBy(() -> ZkCredentials.load(unknownRole)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(unknownRole + " line 2").hasMessageNotContaining("hunter2");

        Path noPassword = Files.writeString(dir.resolve("b"), "slipway=slipway:pw1\nrouter=routerhunter2\n");
        assertThatThrownBy(() -> ZkCredentials.load(noPassword)).hasMessageContaining("line 2")
                .hasMessageContaining("user:password").hasMessageNotContaining("hunter2");

        Path missingRouter = Files.writeString(dir.resolve("c"), "slipway=slipway:hunter2\n");
        assertThatThrownBy(() -> ZkCredentials.load(missingRouter)).hasMessageContaining("router")
                .hasMessageNotContaining("hunter2");

        Path sameUser = Files.writeString(dir.resolve("d"), "slipway=s:hunter2\nrouter=s:other\n");
        assertThatThrownBy(() -> ZkCredentials.load(sameUser)).hasMessageContaining("must differ")
                .hasMessageNotContaining("hunter2");

        assertThatThrownBy(() -> ZkCredentials.load(dir.resolve("missing"))).hasMessageContaining("cannot read");
    }

    @Test
    void aDataDirectoryIsMadeOwnerOnlyAndAnExistingOneTightened() throws Exception {
        Path made = PrivateFiles.directory(dir.resolve("new/home"));
        assertThat(mode(made)).isEqualTo("rwx------");
        assertThat(mode(made.getParent())).isEqualTo("rwx------");

        Path old = Files.createDirectory(dir.resolve("old"));
        Files.setPosixFilePermissions(old, PosixFilePermissions.fromString("rwxr-xr-x"));
        PrivateFiles.directory(old);
        assertThat(mode(old)).isEqualTo("rwx------");
    }

    private static String mode(Path path) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
    }
}
