package dev.slipway.mesoslocal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.mesoslocal.fetcher.FileServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.mesos.v1.Protos.CommandInfo;
import org.apache.mesos.v1.Protos.Offer;
import org.apache.mesos.v1.Protos.TaskInfo;
import org.apache.mesos.v1.Protos.TaskState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the sandboxes of N launches cost on disk when each fetches the same cached executor jar, as
 * Slipway's launches do: the bytes under {@code slaves/} counted as {@code du} counts them (a file
 * with several hard links once). The numbers are printed for docs/mesos.md.
 */
class SandboxDiskUsageTest extends MesosLocalTestBase {
    private static final int LAUNCHES = 8;
    private static final int JAR_BYTES = 8 * 1024 * 1024;

    @TempDir
    Path files;
    private FileServer server;

    @BeforeEach
    void serveTheJar() throws Exception {
        Files.write(files.resolve("slipway-executor.jar"), new byte[JAR_BYTES]);
        server = FileServer.serving(files);
    }

    @AfterEach
    void stopServing() throws Exception {
        server.close();
    }

    @Test
    void sandboxesOfLaunchesFetchingTheSameCachedJarShareOneCopyOfIt() throws Exception {
        TestScheduler scheduler = subscribe(TestScheduler.frameworkInfo().build());
        Offer offer = scheduler.awaitOffer();
        TaskInfo[] tasks = new TaskInfo[LAUNCHES];
        for (int i = 0; i < LAUNCHES; i++) {
            String id = "disk." + i;
            CommandInfo command = testExecutor(id).getCommand().toBuilder()
                    .addUris(CommandInfo.URI.newBuilder().setValue(server.url("slipway-executor.jar"))
                            .setExtract(false).setCache(true))
                    .build();
            tasks[i] = task(offer, id, "run", 0.05, 16).toBuilder()
                    .setExecutor(testExecutor(id).toBuilder().setCommand(command)).build();
        }

        scheduler.launch(offer, tasks);

        for (int i = 0; i < LAUNCHES; i++) {
            scheduler.awaitUpdate("disk." + i, TaskState.TASK_RUNNING);
        }
        long sandboxes = diskUsage(workDir.resolve("slaves"));
        long cache = diskUsage(workDir.resolve("fetch"));
        long both = diskUsage(workDir.resolve("slaves"), workDir.resolve("fetch"));
        System.out.printf("sandbox disk usage after %d launches of a %d-byte cached jar: sandboxes %d bytes,"
                + " fetcher cache %d bytes, both %d bytes (copies would take %d bytes)%n", LAUNCHES, JAR_BYTES,
                sandboxes, cache, both, (long) LAUNCHES * JAR_BYTES + JAR_BYTES);
        assertThat(both).as("one copy of the jar, whatever the number of sandboxes").isLessThan(2L * JAR_BYTES);
        for (int i = 0; i < LAUNCHES; i++) {
            assertThat(sandbox(scheduler, offer, "disk." + i).resolve("slipway-executor.jar")).hasSize(JAR_BYTES);
        }
    }

    /** Bytes of the regular files under the roots, each inode once, as {@code du} counts them. */
    static long diskUsage(Path... roots) throws IOException {
        Set<Object> seen = new HashSet<>();
        long total = 0;
        for (Path root : roots) {
            if (!Files.exists(root)) {
                continue;
            }
            try (Stream<Path> paths = Files.walk(root)) {
                for (Path path : paths.filter(Files::isRegularFile).toList()) {
                    Object key = Files.readAttributes(path, java.nio.file.attribute.BasicFileAttributes.class)
                            .fileKey();
                    if (key == null || seen.add(key)) {
                        total += Files.size(path);
                    }
                }
            }
        }
        return total;
    }
}
