package dev.slipway.executor.process;

import static dev.slipway.executor.testing.TaskSpecBuilder.aWebInstance;
import static dev.slipway.executor.testing.TaskSpecBuilder.aWorker;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.slipway.executor.process.AppOutput.Channel;
import dev.slipway.executor.task.TaskSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlainProcessRunnerTest {
    @TempDir
    Path sandbox;
    private Path appDir;
    private final List<String> stdout = new CopyOnWriteArrayList<>();
    private final List<String> stderr = new CopyOnWriteArrayList<>();
    private final List<RunningProcess> started = new CopyOnWriteArrayList<>();
    private PlainProcessRunner runner;

    @BeforeEach
    void slug() throws IOException {
        appDir = Files.createDirectories(sandbox.resolve("app"));
        Files.createDirectories(appDir.resolve(".profile.d"));
        Files.writeString(appDir.resolve(".profile.d/runtime.sh"), "export GREETING=hello\nexport PATH=\"$HOME/bin:$PATH\"\n");
        Files.createDirectories(appDir.resolve("bin"));
        Path tool = Files.writeString(appDir.resolve("bin/slug-tool"), "#!/bin/sh\necho from the slug\n");
        tool.toFile().setExecutable(true);
        Map<String, String> inherited = Map.of("PATH", System.getenv("PATH"), "LANG", "C.UTF-8",
                "MESOS_AGENT_ENDPOINT", "127.0.0.1:5051", "LIBPROCESS_IP", "127.0.0.1");
        runner = new PlainProcessRunner(inherited, (dyno, channel, line) ->
                (channel == Channel.STDOUT ? stdout : stderr).add(dyno + ": " + line));
    }

    @AfterEach
    void killLeftovers() {
        started.forEach(RunningProcess::kill);
    }

    private RunningProcess start(TaskSpec spec) throws IOException {
        RunningProcess process = runner.start(new Instance("hello.worker.1.v3.test", spec, appDir));
        started.add(process);
        return process;
    }

    @Test
    void runsTheCommandAsHerokusSlugRunnerDoes() throws Exception {
        RunningProcess process = start(aWebInstance(31000, 60).env("SECRET_KEY", "s3").command(
                "echo \"$GREETING port=$PORT dyno=$DYNO home=$HOME cwd=$(pwd) key=$SECRET_KEY\"; "
                        + "echo \"mesos=${MESOS_AGENT_ENDPOINT:-unset} libprocess=${LIBPROCESS_IP:-unset}\"; slug-tool")
                .build());

        assertThat(process.onExit().get(10, TimeUnit.SECONDS)).isEqualTo(new ExitStatus(0));
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(stdout).containsExactly(
                "web.1: hello port=31000 dyno=web.1 home=" + appDir + " cwd=" + appDir + " key=s3",
                "web.1: mesos=unset libprocess=unset",
                "web.1: from the slug"));
    }

    @Test
    void execsTheCommandSoTheProcessIsTheApp() throws Exception {
        RunningProcess process = start(aWorker().command("echo $$; exec sleep 30").build());

        await().atMost(Duration.ofSeconds(5)).until(() -> !stdout.isEmpty());
        assertThat(process.name()).isEqualTo("pid " + stdout.get(0).substring("worker.1: ".length()));
    }

    @Test
    void sendsStderrLinesToStderr() throws Exception {
        RunningProcess process = start(aWorker().command("echo oops >&2; printf 'no newline'").build());

        process.onExit().get(10, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            assertThat(stderr).containsExactly("worker.1: oops");
            assertThat(stdout).containsExactly("worker.1: no newline");
        });
    }

    @Test
    void reportsTheExitCode() throws Exception {
        ExitStatus status = start(aWorker().command("exit 7").build()).onExit().get(10, TimeUnit.SECONDS);

        assertThat(status.code()).isEqualTo(7);
        assertThat(status.describe()).isEqualTo("exited with code 7");
    }

    @Test
    void refusesToStartWithoutTheSlug() {
        assertThatThrownBy(() -> runner.start(new Instance("hello.worker.1.v3.test", aWorker().build(),
                sandbox.resolve("missing"))))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("is not a directory");
    }

    @Test
    void terminateLetsAProcessThatHandlesTermExitBeforeTheGrace() throws Exception {
        RunningProcess process = start(aWorker()
                .command("trap 'echo got TERM; exit 0' TERM; echo ready; while true; do sleep 0.1; done").build());
        await().atMost(Duration.ofSeconds(5)).until(() -> stdout.contains("worker.1: ready"));

        long before = System.nanoTime();
        process.terminate(Duration.ofSeconds(20));
        ExitStatus status = process.onExit().get(10, TimeUnit.SECONDS);

        assertThat(status).isEqualTo(new ExitStatus(0));
        assertThat(Duration.ofNanos(System.nanoTime() - before)).isLessThan(Duration.ofSeconds(10));
        await().atMost(Duration.ofSeconds(5)).until(() -> stdout.contains("worker.1: got TERM"));
    }

    @Test
    void terminateKillsAProcessThatIgnoresTermAfterTheGrace() throws Exception {
        RunningProcess process = start(aWorker()
                .command("trap '' TERM; echo ready; while true; do sleep 0.1; done").build());
        await().atMost(Duration.ofSeconds(5)).until(() -> stdout.contains("worker.1: ready"));

        long before = System.nanoTime();
        process.terminate(Duration.ofMillis(700));
        ExitStatus status = process.onExit().get(10, TimeUnit.SECONDS);

        assertThat(Duration.ofNanos(System.nanoTime() - before)).isGreaterThanOrEqualTo(Duration.ofMillis(700));
        assertThat(status.signal()).isEqualTo(9);
        assertThat(status.describe()).isEqualTo("killed by signal 9");
    }

    @Test
    void terminateReachesTheWholeProcessTree() throws Exception {
        RunningProcess process = start(aWorker().command("sleep 300 & echo child $!; wait").build());
        await().atMost(Duration.ofSeconds(5)).until(() -> !stdout.isEmpty());
        long child = Long.parseLong(stdout.get(0).substring("worker.1: child ".length()));
        assertThat(alive(child)).isTrue();

        process.terminate(Duration.ofSeconds(20));

        process.onExit().get(10, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(5)).until(() -> !alive(child));
    }

    @Test
    void aChildThatIgnoresTermIsKilledAfterTheGraceEvenWhenTheMainProcessIsGone() throws Exception {
        RunningProcess process = start(aWorker()
                .command("(trap '' TERM; while true; do sleep 0.1; done) & echo child $!; wait").build());
        await().atMost(Duration.ofSeconds(5)).until(() -> !stdout.isEmpty());
        long child = Long.parseLong(stdout.get(0).substring("worker.1: child ".length()));

        process.terminate(Duration.ofMillis(700));

        process.onExit().get(10, TimeUnit.SECONDS);
        assertThat(alive(child)).as("the child still runs within the grace").isTrue();
        await().atMost(Duration.ofSeconds(5)).until(() -> !alive(child));
    }

    @Test
    void buildsTheEnvironmentFromInheritedThenSpecThenHerokusVariables() {
        TaskSpec spec = aWebInstance(5000, 60).env("PORT", "1").env("DATABASE_URL", "postgres://db").build();

        Map<String, String> env = PlainProcessRunner.environment(spec, appDir,
                Map.of("PATH", "/usr/bin", "HOME", "/root", "MESOS_SANDBOX", "/sandbox", "JAVA_HOME", "/jdk"));

        assertThat(env).containsOnly(Map.entry("PATH", "/usr/bin"), Map.entry("JAVA_HOME", "/jdk"),
                Map.entry("DATABASE_URL", "postgres://db"), Map.entry("HOME", appDir.toString()),
                Map.entry("PORT", "5000"), Map.entry("DYNO", "web.1"));
    }

    private static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }
}
