package dev.slipway.mesoslocal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.mesoslocal.fetcher.FileServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.mesos.v1.Protos.CommandInfo;
import org.apache.mesos.v1.Protos.ExecutorInfo;
import org.apache.mesos.v1.Protos.Offer;
import org.apache.mesos.v1.Protos.TaskInfo;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.apache.mesos.v1.scheduler.Protos.Event;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The fetcher: URIs of the executor's command land in its sandbox before it starts. */
class FetchTest extends MesosLocalTestBase {
    @TempDir
    Path files;
    private FileServer server;

    @BeforeEach
    void serveFiles() throws Exception {
        Path app = Files.createDirectories(files.resolve("slug/app"));
        Files.writeString(app.resolve("hello.txt"), "hello from the slug\n");
        Process tar = new ProcessBuilder("tar", "-C", files.resolve("slug").toString(), "-czf",
                files.resolve("slug.tgz").toString(), "./app").inheritIO().start();
        assertThat(tar.waitFor(30, TimeUnit.SECONDS) && tar.exitValue() == 0).isTrue();
        Files.writeString(files.resolve("tool.sh"), "#!/bin/sh\necho tool\n");
        Files.write(files.resolve("slipway-executor.jar"), new byte[4096]);
        server = FileServer.serving(files);
    }

    @AfterEach
    void stopServing() throws Exception {
        server.close();
    }

    @Test
    void anHttpArchiveWithExtractIsUnpackedIntoTheSandbox() throws Exception {
        TestScheduler scheduler = subscribe(TestScheduler.frameworkInfo().build());
        Offer offer = scheduler.awaitOffer();
        String base = server.url("").replaceAll("/$", "");
        Files.writeString(files.resolve("local.txt"), "local\n");
        ExecutorInfo executor = testExecutor("fetch.1").toBuilder().setCommand(testExecutor("fetch.1").getCommand()
                .toBuilder()
                .addUris(CommandInfo.URI.newBuilder().setValue(base + "/slug.tgz").setExtract(true))
                .addUris(CommandInfo.URI.newBuilder().setValue(base + "/tool.sh").setExecutable(true)
                        .setOutputFile("bin/tool"))
                .addUris(CommandInfo.URI.newBuilder().setValue("file://" + files.resolve("local.txt"))
                        .setExtract(false)))
                .build();
        TaskInfo task = task(offer, "fetch.1", "run", 0.1, 32).toBuilder().setExecutor(executor).build();

        scheduler.launch(offer, task);

        scheduler.awaitUpdate("fetch.1", TaskState.TASK_RUNNING);
        Path sandbox = sandbox(scheduler, offer, "fetch.1");
        assertThat(sandbox.resolve("app/hello.txt")).hasContent("hello from the slug");
        assertThat(sandbox.resolve("slug.tgz")).exists();
        assertThat(Files.getPosixFilePermissions(sandbox.resolve("bin/tool")))
                .contains(PosixFilePermission.OWNER_EXECUTE);
        assertThat(sandbox.resolve("local.txt")).hasContent("local");
        assertThat(lines(sandbox.resolve("stderr"))).anyMatch(line -> line.startsWith("Extracted '"));
        assertThat(Files.getPosixFilePermissions(sandbox)).as("no other user enters the sandbox")
                .isEqualTo(PosixFilePermissions.fromString("rwx------"));
        assertThat(Files.getPosixFilePermissions(sandbox.resolve("stdout")))
                .isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(Files.getPosixFilePermissions(sandbox.resolve("stderr")))
                .isEqualTo(PosixFilePermissions.fromString("rw-------"));
    }

    @Test
    void aUriThatCannotBeFetchedFailsTheTaskAndNamesTheUri() throws Exception {
        TestScheduler scheduler = subscribe(TestScheduler.frameworkInfo().build());
        Offer offer = scheduler.awaitOffer();
        String missing = server.url("missing.tgz");
        ExecutorInfo executor = testExecutor("fetch.2").toBuilder().setCommand(testExecutor("fetch.2").getCommand()
                .toBuilder().addUris(CommandInfo.URI.newBuilder().setValue(missing))).build();

        scheduler.launch(offer, task(offer, "fetch.2", "run", 0.1, 32).toBuilder().setExecutor(executor).build());

        TaskStatus failed = scheduler.awaitUpdate("fetch.2", TaskState.TASK_FAILED);
        assertThat(failed.getReason()).isEqualTo(TaskStatus.Reason.REASON_CONTAINER_LAUNCH_FAILED);
        assertThat(failed.getSource()).isEqualTo(TaskStatus.Source.SOURCE_AGENT);
        assertThat(failed.getMessage()).startsWith("Failed to launch container: ").contains(missing).contains("404");
        assertThat(scheduler.awaitEvent(e -> e.getType() == Event.Type.FAILURE).getFailure().getStatus())
                .isEqualTo(-1);
        scheduler.acknowledge(failed);
    }

    @Test
    void twoTasksWithTheSameCachedUrisDownloadThemOnceAndBothSandboxesGetThem() throws Exception {
        TestScheduler scheduler = subscribe(TestScheduler.frameworkInfo().build());
        Offer offer = scheduler.awaitOffer();
        TaskInfo first = cachedFetchTask(offer, "cached.1");
        TaskInfo second = cachedFetchTask(offer, "cached.2");

        scheduler.launch(offer, first, second);

        scheduler.awaitUpdate("cached.1", TaskState.TASK_RUNNING);
        scheduler.awaitUpdate("cached.2", TaskState.TASK_RUNNING);
        assertThat(server.gets("slug.tgz")).isEqualTo(1);
        assertThat(server.gets("slipway-executor.jar")).isEqualTo(1);
        for (String executorId : List.of("cached.1", "cached.2")) {
            Path sandbox = sandbox(scheduler, offer, executorId);
            assertThat(sandbox.resolve("app/hello.txt")).hasContent("hello from the slug");
            assertThat(sandbox.resolve("slug.tgz")).as("extracted from the cache, not copied").doesNotExist();
            assertThat(sandbox.resolve("slipway-executor.jar")).hasSize(4096);
            assertThat(lines(sandbox.resolve("stderr"))).contains("Fetching from cache");
        }
        try (var cached = Files.list(workDir.resolve("fetch"))) {
            assertThat(cached.map(p -> p.getFileName().toString()).sorted())
                    .containsExactlyInAnyOrder("c1-slipway-executor.jar", "c2-slug.tgz");
        }
    }

    @Test
    void urisWithoutCacheAreDownloadedForEveryTask() throws Exception {
        TestScheduler scheduler = subscribe(TestScheduler.frameworkInfo().build());
        Offer offer = scheduler.awaitOffer();
        TaskInfo first = fetchTask(offer, "direct.1", CommandInfo.URI.newBuilder().setValue(server.url("slug.tgz")));
        TaskInfo second = fetchTask(offer, "direct.2", CommandInfo.URI.newBuilder().setValue(server.url("slug.tgz")));

        scheduler.launch(offer, first, second);

        scheduler.awaitUpdate("direct.1", TaskState.TASK_RUNNING);
        scheduler.awaitUpdate("direct.2", TaskState.TASK_RUNNING);
        assertThat(server.gets("slug.tgz")).isEqualTo(2);
        assertThat(sandbox(scheduler, offer, "direct.2").resolve("app/hello.txt")).exists();
    }

    /** The executor jar and the slug, through the cache, as Slipway launches its instances. */
    private TaskInfo cachedFetchTask(Offer offer, String taskId) {
        return fetchTask(offer, taskId,
                CommandInfo.URI.newBuilder().setValue(server.url("slipway-executor.jar")).setExtract(false)
                        .setCache(true),
                CommandInfo.URI.newBuilder().setValue(server.url("slug.tgz")).setExtract(true).setCache(true));
    }

    private static TaskInfo fetchTask(Offer offer, String taskId, CommandInfo.URI.Builder... uris) {
        CommandInfo.Builder command = testExecutor(taskId).getCommand().toBuilder();
        for (CommandInfo.URI.Builder uri : uris) {
            command.addUris(uri);
        }
        return task(offer, taskId, "run", 0.1, 32).toBuilder()
                .setExecutor(testExecutor(taskId).toBuilder().setCommand(command))
                .build();
    }
}
