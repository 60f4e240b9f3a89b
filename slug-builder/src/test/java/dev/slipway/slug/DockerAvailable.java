package dev.slipway.slug;

import dev.slipway.docker.DockerEngine;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.github.dockerjava.api.DockerClient;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The Docker engine and the stack image, for tests that build in containers. Where there is no
 * engine they are skipped, unless {@code SLIPWAY_REQUIRE_DOCKER} is set (CI sets it), which turns a
 * missing engine into a failure rather than a quiet skip.
 */
final class DockerAvailable {
    static final Path STACK_DIR = Path.of("").toAbsolutePath().getParent().resolve("stack");

    private DockerAvailable() {
    }

    static DockerClient engine() {
        Optional<DockerClient> docker = DockerEngine.find();
        if (docker.isEmpty() && System.getenv("SLIPWAY_REQUIRE_DOCKER") != null) {
            fail("SLIPWAY_REQUIRE_DOCKER is set but no Docker engine answers");
        }
        assumeTrue(docker.isPresent(), "no Docker engine here");
        return docker.get();
    }

    /** Makes the stack image when missing (minutes, once per machine); CI makes it before the tests. */
    static String stackImage() {
        return StackImage.ensure(STACK_DIR, line -> System.err.println("[stack] " + line));
    }
}
