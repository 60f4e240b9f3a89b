package dev.slipway.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotFoundException;
import dev.slipway.docker.DockerEngine;
import dev.slipway.slug.StackImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The instance containers a stopped {@code up} left behind, removed by the real Docker engine. */
class LeftoverContainersTest {
    private DockerClient docker;
    private String image;
    private final List<String> made = new ArrayList<>();

    @BeforeEach
    void engine() {
        Optional<DockerClient> found = DockerEngine.find();
        assumeTrue(found.isPresent(), "no Docker engine here");
        docker = found.get();
        image = StackImage.reference(Path.of("../stack").toAbsolutePath().normalize());
        assumeTrue(!docker.listImagesCmd().withImageNameFilter(image).exec().isEmpty(), "no stack image " + image);
    }

    @AfterEach
    void removeWhatIsLeft() {
        if (docker == null) {
            return;
        }
        for (String id : made) {
            try {
                docker.removeContainerCmd(id).withForce(true).exec();
            } catch (NotFoundException gone) {
                // Removed by the test.
            }
        }
        DockerEngine.close(docker);
    }

    @Test
    void theContainersOfTheFrameworkRunningOrStoppedAreRemovedAndThoseOfAnotherFrameworkAreLeft() {
        String mine = "test-" + UUID.randomUUID();
        String theirs = "test-" + UUID.randomUUID();
        String running = container(mine, true);
        String stopped = container(mine, false);
        String other = container(theirs, true);

        List<String> removed = LeftoverContainers.remove(docker, mine);

        assertThat(removed).hasSize(2);
        assertThat(exists(running)).isFalse();
        assertThat(exists(stopped)).isFalse();
        assertThat(exists(other)).as("another framework's container").isTrue();
        assertThat(LeftoverContainers.remove(docker, mine)).as("nothing left the second time").isEmpty();
    }

    private String container(String frameworkId, boolean start) {
        String id = docker.createContainerCmd(image).withCmd("sleep", "300")
                .withLabels(Map.of(LeftoverContainers.LABEL_FRAMEWORK, frameworkId, "dev.slipway.app", "leftover"))
                .exec().getId();
        made.add(id);
        if (start) {
            docker.startContainerCmd(id).exec();
        }
        return id;
    }

    private boolean exists(String id) {
        try {
            docker.inspectContainerCmd(id).exec();
            return true;
        } catch (NotFoundException e) {
            return false;
        }
    }
}
