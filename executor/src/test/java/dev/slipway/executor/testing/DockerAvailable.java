package dev.slipway.executor.testing;

import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Container;
import dev.slipway.docker.DockerEngine;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The Docker engine and the stack image, for tests that run instances in containers. Where there is
 * no engine they are skipped, unless {@code SLIPWAY_REQUIRE_DOCKER} is set (CI sets it), which turns
 * a missing engine into a failure rather than a quiet skip.
 */
public final class DockerAvailable {
    private static final Path STACK_BUILD = Path.of("").toAbsolutePath().getParent().resolve("stack/build");
    private static String stackImage;

    private DockerAvailable() {
    }

    /** A client of the engine; skips (or fails, under CI) the test when there is none. */
    public static DockerClient engine() {
        var docker = DockerEngine.find();
        if (docker.isEmpty() && System.getenv("SLIPWAY_REQUIRE_DOCKER") != null) {
            fail("SLIPWAY_REQUIRE_DOCKER is set but no Docker engine answers");
        }
        assumeTrue(docker.isPresent(), "no Docker engine here");
        return docker.get();
    }

    /**
     * The stack image's reference, from {@code stack/build} (which makes it when missing: minutes,
     * once per machine; CI makes it before the tests).
     */
    public static synchronized String stackImage() throws IOException, InterruptedException {
        if (stackImage == null) {
            Process build = new ProcessBuilder(STACK_BUILD.toString())
                    .redirectError(ProcessBuilder.Redirect.INHERIT)
                    .start();
            build.getOutputStream().close();
            String out = new String(build.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!build.waitFor(30, TimeUnit.MINUTES) || build.exitValue() != 0 || !out.startsWith("slipway/stack:")) {
                fail(STACK_BUILD + " failed (exit " + build.exitValue() + "): " + out);
            }
            stackImage = out;
        }
        return stackImage;
    }

    /** Removes every container with {@code label}={@code value}, running or not; returns their names. */
    public static List<String> removeContainers(DockerClient docker, String label, String value) {
        List<Container> containers = docker.listContainersCmd().withShowAll(true)
                .withLabelFilter(Map.of(label, value)).exec();
        containers.forEach(c -> docker.removeContainerCmd(c.getId()).withForce(true).withRemoveVolumes(true).exec());
        return containers.stream().map(c -> c.getNames()[0]).toList();
    }
}
