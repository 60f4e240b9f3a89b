package dev.slipway.executor.process;

import static dev.slipway.executor.testing.TaskSpecBuilder.aWorker;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.slipway.executor.task.TaskSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Host mode as root: issue 12's "an app reads another app's config vars (/proc/pid/environ) and
 * writes into its sandbox", tried from inside one app against another, each under its own user.
 */
class AppUsersTest {
    private static final Duration CHECK = Duration.ofSeconds(10);

    @TempDir
    Path sandboxes;
    private Path instances;
    private final List<String> stdout = new CopyOnWriteArrayList<>();
    private final List<RunningProcess> started = new CopyOnWriteArrayList<>();
    private PlainProcessRunner runner;

    @BeforeEach
    void runnerWithAppUsers() throws IOException {
        assumeTrue(Root.isThisProcess(), "apps get their own users only from an executor running as root");
        AppUsers users = AppUsers.forThisProcess(Path.of("unused"));
        assumeTrue(users != null, "no setpriv here");
        instances = Files.createTempDirectory("slipway-instances-test");
        runner = new PlainProcessRunner(Map.of("PATH", System.getenv("PATH"), "LANG", "C.UTF-8"),
                (dyno, channel, line) -> stdout.add(dyno + ": " + line),
                new AppUsers(instances, HostFirewall.tool("setpriv").orElseThrow()));
    }

    @AfterEach
    void stop() throws Exception {
        for (RunningProcess process : started) {
            process.kill();
            process.onExit().get(10, TimeUnit.SECONDS);
        }
        if (instances != null) {
            await().atMost(CHECK).until(() -> isEmpty(instances));
            Files.delete(instances);
        }
    }

    @AfterAll
    static void removeTheTestsUsers() throws Exception {
        if (Root.isThisProcess()) {
            for (String user : List.of("slipway-app-isolation-one", "slipway-app-isolation-two")) {
                new ProcessBuilder("userdel", user).redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor(30, TimeUnit.SECONDS);
            }
        }
    }

    // --- scenario ---

    private record Started(RunningProcess process, Instance instance, long pid, Path home) {
    }

    private Started anAppRunning(String app, String secret) throws Exception {
        Path appDir = Files.createDirectories(sandboxes.resolve(app).resolve("app"));
        Files.writeString(appDir.resolve("secret.txt"), secret);
        TaskSpec spec = aWorker().app(app).env("SECRET_KEY", secret).command("echo ready; exec sleep 300").build();
        Instance instance = new Instance(app + ".worker.1.v1.test", spec, appDir);
        RunningProcess process = runner.start(instance);
        started.add(process);
        await().atMost(CHECK).until(() -> stdout.stream().filter("worker.1: ready"::equals).count() == started.size());
        long pid = Long.parseLong(process.name().substring("pid ".length()));
        return new Started(process, instance, pid, Files.readSymbolicLink(appDir));
    }

    private static boolean succeeds(Started app, String command) throws Exception {
        return app.process().exec(command, CHECK).success();
    }

    // --- the attacks ---

    @Test
    void anAppCannotReadAnotherAppsEnvironmentOrFilesButReadsItsOwn() throws Exception {
        Started one = anAppRunning("isolation-one", "s3-one");
        Started other = anAppRunning("isolation-two", "s3-two");

        assertThat(succeeds(other, "cat /proc/" + one.pid() + "/environ")).as("the other's environ").isFalse();
        assertThat(succeeds(other, "ls " + one.home())).as("listing the other's home").isFalse();
        assertThat(succeeds(other, "cat " + one.home() + "/secret.txt")).as("reading the other's slug").isFalse();
        assertThat(succeeds(other, "touch " + one.home() + "/planted")).as("writing into the other's slug").isFalse();
        assertThat(succeeds(other, "kill -0 " + one.pid())).as("signalling the other").isFalse();

        assertThat(succeeds(one, "tr '\\0' '\\n' < /proc/" + one.pid() + "/environ | grep -qx SECRET_KEY=s3-one"))
                .as("its own environ").isTrue();
        assertThat(succeeds(one, "test \"$(id -un)\" = slipway-app-isolation-one && test \"$(cat secret.txt)\" = s3-one"
                + " && test \"$HOME\" = \"$(pwd)\" && touch written")).as("its own user, home and slug").isTrue();
    }

    @Test
    void theSlugIsMovedIntoAHomeOnlyTheAppsUserCanEnterAndRemovedWhenTheInstanceEnds() throws Exception {
        Started one = anAppRunning("isolation-one", "s3-one");

        assertThat(one.home().getParent()).isEqualTo(instances);
        assertThat(Files.getPosixFilePermissions(one.home())).isEqualTo(PosixFilePermissions.fromString("rwx------"));
        assertThat(Files.getPosixFilePermissions(instances)).isEqualTo(PosixFilePermissions.fromString("rwx--x--x"));
        assertThat(Files.getAttribute(one.home().resolve("secret.txt"), "unix:uid", LinkOption.NOFOLLOW_LINKS))
                .isEqualTo(Files.getAttribute(one.home(), "unix:uid"))
                .isNotEqualTo(0);
        assertThat(one.instance().appDir()).isSymbolicLink();

        one.process().kill();
        one.process().onExit().get(10, TimeUnit.SECONDS);

        await().atMost(CHECK).until(() -> !Files.exists(one.home()));
    }

    @Test
    void theHomeOfATaskWhoseExecutorDiedIsRemovedWhenALaterInstanceNamesItEnded() throws Exception {
        Path left = Files.createDirectories(instances.resolve("isolation-one.worker.1.v1.died"));
        Files.writeString(left.resolve("secret.txt"), "s3");

        Path appDir = Files.createDirectories(sandboxes.resolve("later").resolve("app"));
        RunningProcess later = runner.start(new Instance("isolation-one.worker.1.v2.later", aWorker()
                .app("isolation-one").endedTaskIds("isolation-one.worker.1.v1.died", "../escape")
                .command("exec sleep 300").build(), appDir));
        started.add(later);

        assertThat(left).doesNotExist();
    }

    @Test
    void eachAppHasItsOwnUserAndTheSameUserEveryTime() throws Exception {
        AppUsers users = new AppUsers(instances, HostFirewall.tool("setpriv").orElseThrow());

        AppUsers.AppUser one = users.ensure("isolation-one");

        assertThat(users.ensure("isolation-one")).isEqualTo(one);
        assertThat(users.ensure("isolation-two").uid()).isNotEqualTo(one.uid());
        assertThat(one.name()).isEqualTo("slipway-app-isolation-one");
    }

    @Test
    void aLongAppNameGetsAUserNameUseraddTakes() {
        String one = AppUsers.userName("a-very-long-application-name-1");
        String two = AppUsers.userName("a-very-long-application-name-2");

        assertThat(one).hasSizeLessThanOrEqualTo(32).startsWith("slipway-app-a-very-long").isNotEqualTo(two);
        assertThat(two).hasSizeLessThanOrEqualTo(32);
        assertThat(AppUsers.userName("hello")).isEqualTo("slipway-app-hello");
    }

    private static boolean isEmpty(Path dir) throws IOException {
        try (var entries = Files.list(dir)) {
            return entries.findAny().isEmpty();
        }
    }
}
