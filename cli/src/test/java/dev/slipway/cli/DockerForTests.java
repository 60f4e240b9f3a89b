package dev.slipway.cli;

import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.github.dockerjava.api.DockerClient;
import dev.slipway.docker.DockerEngine;
import java.util.Optional;

/**
 * The Docker engine for tests that need one: they are skipped where none answers, unless
 * {@code SLIPWAY_REQUIRE_DOCKER} is set (CI sets it), which makes a missing engine a failure.
 */
public final class DockerForTests {
    private DockerForTests() {
    }

    public static DockerClient engine() {
        Optional<DockerClient> docker = DockerEngine.find();
        if (docker.isEmpty() && System.getenv("SLIPWAY_REQUIRE_DOCKER") != null) {
            fail("SLIPWAY_REQUIRE_DOCKER is set but no Docker engine answers");
        }
        assumeTrue(docker.isPresent(), "no Docker engine here");
        return docker.get();
    }
}
