package dev.slipway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `up` signals or adopts only a process that really is the router of its pid file. */
class RouterPidFileTest {
    @TempDir
    Path dir;

    @Test
    void aPidFileIsReadBackAsWritten() {
        Path file = dir.resolve("router.pid");
        RouterPidFile written = new RouterPidFile(42, "127.0.0.1", 8080, "localhost", "127.0.0.1:2181",
                RouterPidFile.thisBuild(), "http://127.0.0.1:7070");
        written.write(file);

        assertThat(RouterPidFile.read(file)).contains(written);
    }

    @Test
    void aPidFileNamingAProcessThatIsNoRouterNamesNoProcess() {
        Path file = dir.resolve("router.pid");
        // This test's JVM is alive, and no router.
        RouterPidFile forged = new RouterPidFile(ProcessHandle.current().pid(), "127.0.0.1", 8080, "localhost",
                "127.0.0.1:2181", RouterPidFile.thisBuild(), null);
        forged.write(file);

        assertThat(forged.process(file)).isEmpty();
    }

    @Test
    void anUnreadablePidFileIsNone() throws Exception {
        Path file = dir.resolve("router.pid");
        Files.writeString(file, "12345\n");

        assertThat(RouterPidFile.read(file)).isEmpty();
        assertThat(RouterPidFile.read(dir.resolve("missing.pid"))).isEmpty();
    }

    @Test
    void aPidFileIsRemovedOnlyByTheRouterItDescribes() {
        Path file = dir.resolve("router.pid");
        RouterPidFile older = new RouterPidFile(41, "127.0.0.1", 8080, "localhost", "127.0.0.1:2181", "b", null);
        RouterPidFile newer = new RouterPidFile(42, "127.0.0.1", 8080, "localhost", "127.0.0.1:2181", "b", null);
        newer.write(file);

        older.deleteIfStill(file);
        assertThat(file).exists();
        newer.deleteIfStill(file);
        assertThat(file).doesNotExist();
    }
}
