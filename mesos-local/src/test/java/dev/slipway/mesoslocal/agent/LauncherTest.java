package dev.slipway.mesoslocal.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each launcher kills what a dead executor left behind in its unit. */
class LauncherTest {
    /** An "executor" that starts an app in the background, writes its pid, and waits. */
    private static final String EXECUTOR = "sleep 600 & echo $! > \"$0\"; wait";

    @TempDir
    Path dir;

    @Test
    void theSessionLauncherKillsTheAppOfASigkilledExecutor() throws Exception {
        Path setsid = Path.of("/usr/bin/setsid");
        assumeTrue(Files.isExecutable(setsid) && Files.isDirectory(Path.of("/proc")), "setsid and /proc: Linux");
        assertAppDiesWithItsUnit(new PosixLauncher(setsid));
    }

    @Test
    void theFreezerLauncherKillsTheAppOfASigkilledExecutor() throws Exception {
        FreezerLauncher freezer = FreezerLauncher.available(Path.of("/usr/bin/setsid"));
        assumeTrue(freezer != null, "a cgroup v1 freezer hierarchy this process may write (Linux, root)");
        assertAppDiesWithItsUnit(freezer);
    }

    private void assertAppDiesWithItsUnit(Launcher launcher) throws Exception {
        String containerId = UUID.randomUUID().toString();
        Path pidFile = dir.resolve("app.pid");
        Process executor = new ProcessBuilder(launcher.wrap(containerId,
                List.of("/bin/sh", "-c", EXECUTOR, pidFile.toString()))).start();
        await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(pidFile) && Files.size(pidFile) > 0);
        ProcessHandle app = ProcessHandle.of(Long.parseLong(Files.readString(pidFile).strip())).orElseThrow();

        executor.destroyForcibly().waitFor();
        assertThat(app.isAlive()).as("the app outlives its SIGKILLed executor").isTrue();

        int killed = launcher.destroy(containerId, executor.pid(), executor.toHandle());

        assertThat(killed).isGreaterThanOrEqualTo(1);
        await().atMost(Duration.ofSeconds(5)).until(() -> !app.isAlive() || zombie(app.pid()));
    }

    private static boolean zombie(long pid) {
        try {
            String text = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            return text.substring(text.lastIndexOf(')') + 2).startsWith("Z");
        } catch (IOException e) {
            return true;
        }
    }
}
