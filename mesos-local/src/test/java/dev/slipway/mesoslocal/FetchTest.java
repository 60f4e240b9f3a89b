package dev.slipway.mesoslocal;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
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
    private Vertx vertx;
    private HttpServer server;

    @BeforeEach
    void serveFiles() throws Exception {
        Path app = Files.createDirectories(files.resolve("slug/app"));
        Files.writeString(app.resolve("hello.txt"), "hello from the slug\n");
        Process tar = new ProcessBuilder("tar", "-C", files.resolve("slug").toString(), "-czf",
                files.resolve("slug.tgz").toString(), "./app").inheritIO().start();
        assertThat(tar.waitFor(30, TimeUnit.SECONDS) && tar.exitValue() == 0).isTrue();
        Files.writeString(files.resolve("tool.sh"), "#!/bin/sh\necho tool\n");
        vertx = Vertx.vertx();
        server = vertx.createHttpServer().requestHandler(request -> {
            Path file = files.resolve(request.path().substring(1));
            if (Files.isRegularFile(file)) {
                request.response().sendFile(file.toString());
            } else {
                request.response().setStatusCode(404).end();
            }
        }).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @AfterEach
    void stopServing() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void anHttpArchiveWithExtractIsUnpackedIntoTheSandbox() throws Exception {
        TestScheduler scheduler = subscribe(TestScheduler.frameworkInfo().build());
        Offer offer = scheduler.awaitOffer();
        String base = "http://127.0.0.1:" + server.actualPort();
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
    }

    @Test
    void aUriThatCannotBeFetchedFailsTheTaskAndNamesTheUri() throws Exception {
        TestScheduler scheduler = subscribe(TestScheduler.frameworkInfo().build());
        Offer offer = scheduler.awaitOffer();
        String missing = "http://127.0.0.1:" + server.actualPort() + "/missing.tgz";
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
}
