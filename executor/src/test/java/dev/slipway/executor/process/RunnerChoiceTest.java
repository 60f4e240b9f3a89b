package dev.slipway.executor.process;

import static dev.slipway.executor.testing.TaskSpecBuilder.aWorker;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.DockerClient;
import dev.slipway.docker.DockerEngine;
import dev.slipway.executor.task.TaskSpec;
import dev.slipway.executor.testing.DockerAvailable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunnerChoiceTest {
    @TempDir
    Path sandbox;
    private Path appDir;
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final AtomicInteger lookedForAnEngine = new AtomicInteger();
    private PlainProcessRunner plain;

    @BeforeEach
    void slug() throws Exception {
        appDir = Files.createDirectories(sandbox.resolve("app"));
        plain = new PlainProcessRunner(Map.of("PATH", System.getenv("PATH")),
                (dyno, channel, line) -> lines.add(dyno + ": " + line));
    }

    private RunnerChoice withoutAnEngine() {
        return new RunnerChoice(plain, () -> {
            lookedForAnEngine.incrementAndGet();
            return Optional.empty();
        });
    }

    private Instance instance(TaskSpec spec) {
        return new Instance("hello.worker.1.v3." + UUID.randomUUID(), spec, appDir);
    }

    @Test
    void aTaskWithoutAnImageRunsAsAPlainProcessWithoutLookingForAnEngine() throws Exception {
        RunningProcess process = withoutAnEngine().start(instance(aWorker().command("echo plain").build()));

        assertThat(process.name()).startsWith("pid ");
        assertThat(process.onExit().get(10, TimeUnit.SECONDS)).isEqualTo(new ExitStatus(0));
        assertThat(lookedForAnEngine).hasValue(0);
    }

    @Test
    void aTaskNamingAnImageRunsAsAPlainProcessWhereNoEngineAnswersAndTheEngineIsLookedForOnce() throws Exception {
        RunnerChoice choice = withoutAnEngine();
        TaskSpec spec = aWorker().image("slipway/stack:any").command("exit 0").build();

        RunningProcess first = choice.start(instance(spec));
        RunningProcess second = choice.start(instance(spec));

        assertThat(first.name()).startsWith("pid ");
        assertThat(second.name()).startsWith("pid ");
        assertThat(lookedForAnEngine).hasValue(1);
        second.onExit().get(10, TimeUnit.SECONDS);
    }

    @Test
    void aTaskNamingAnImageRunsInAContainerWhereAnEngineAnswers() throws Exception {
        DockerClient docker = DockerAvailable.engine();
        String frameworkId = "test-" + UUID.randomUUID();
        try {
            RunnerChoice choice = new RunnerChoice(plain,
                    () -> Optional.of(new DockerProcessRunner(docker, (dyno, channel, line) -> lines.add(line),
                            frameworkId, "127.0.0.1", HostFirewall.ofThisMachine())));

            RunningProcess process = choice.start(instance(aWorker().image(DockerAvailable.stackImage())
                    .command("echo in a container").build()));

            assertThat(process.name()).startsWith("container slipway-hello-worker.1-");
            assertThat(process.onExit().get(30, TimeUnit.SECONDS)).isEqualTo(new ExitStatus(0));
            assertThat(lines).containsExactly("in a container");
        } finally {
            DockerAvailable.removeContainers(docker, DockerProcessRunner.LABEL_FRAMEWORK, frameworkId);
            DockerEngine.close(docker);
        }
    }
}
