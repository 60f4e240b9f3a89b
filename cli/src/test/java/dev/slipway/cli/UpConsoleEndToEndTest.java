package dev.slipway.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotFoundException;
import dev.slipway.docker.DockerEngine;
import dev.slipway.slug.StackImage;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code slipway up} in a JVM of its own, as the launcher runs it (the jar's logback.xml): a quiet
 * console, every line in the data directory's log file, a clean stop on SIGTERM, and the instance
 * containers a killed one left removed by the next.
 */
class UpConsoleEndToEndTest {
    @TempDir
    Path home;
    private final List<String> console = Collections.synchronizedList(new ArrayList<>());
    private Process up;

    /** SIGTERM, so that up stops its router child too (a kill -9 would leave it running). */
    @AfterEach
    void stop() throws InterruptedException {
        if (up != null && up.isAlive()) {
            up.destroy();
            if (!up.waitFor(60, TimeUnit.SECONDS)) {
                up.destroyForcibly();
            }
        }
    }

    @Test
    void theConsoleShowsSlipwaysOwnLinesTheLogFileEverythingAndSigtermStopsWithoutAStackTrace() throws Exception {
        up = start();
        Path log = home.resolve("logs").resolve("slipway.log");
        awaitUp();
        assertThat(console.get(0)).isEqualTo("-----> Full log in " + log
                + " (`slipway up --verbose` prints it here too)");
        // Something for the platform to log after "Slipway is up": a refused request and an API call.
        String api = console.stream().filter(line -> line.contains("API on ")).findFirst().orElseThrow()
                .replaceFirst(".*API on (\\S+)/,.*", "$1");
        TestHttp.get(URI.create(api + "/apps"));
        Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> infoLinesAfterUp(Files.readAllLines(log)) > 0);

        up.destroy(); // SIGTERM, as Ctrl-C's SIGINT runs the same shutdown hook
        assertThat(up.waitFor(60, TimeUnit.SECONDS)).as("up stops; its console:\n%s", text()).isTrue();

        List<String> lines = List.copyOf(console);
        assertThat(lines).as("every console line").allSatisfy(line -> assertThat(line)
                .doesNotContain(" INFO ").doesNotContain("\u001b[").doesNotContain("Exception")
                .doesNotContain("Already undeployed").doesNotStartWith("\tat ").doesNotStartWith("router | "));
        assertThat(lines).as("Slipway's own progress lines").anyMatch(line -> line.startsWith("-----> ZooKeeper"))
                .anyMatch(line -> line.startsWith("-----> API on "));
        List<String> logged = Files.readAllLines(log);
        assertThat(infoLinesAfterUp(logged)).as("INFO lines logged after 'Slipway is up'").isPositive();
        assertThat(logged).as("the router's lines, in the file").anyMatch(line -> line.contains(" router: "));
        assertThat(String.join("\n", logged)).doesNotContain("Already undeployed");
    }

    @Test
    void theNextUpRemovesTheInstanceContainersAnEarlierOneLeftBehind() throws Exception {
        Optional<DockerClient> found = DockerEngine.find();
        assumeTrue(found.isPresent(), "no Docker engine here");
        DockerClient docker = found.get();
        String image = StackImage.reference(Path.of("../stack").toAbsolutePath().normalize());
        assumeTrue(!docker.listImagesCmd().withImageNameFilter(image).exec().isEmpty(), "no stack image " + image);
        up = start();
        awaitUp();
        Path log = home.resolve("logs").resolve("slipway.log");
        Pattern subscribed = Pattern.compile(".*subscribed to Mesos at \\S+ as framework (\\S+).*");
        String frameworkId = Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> Files.readAllLines(log).stream().map(subscribed::matcher).filter(Matcher::matches)
                        .map(m -> m.group(1)).findFirst(), Optional::isPresent).orElseThrow();
        up.destroy();
        assertThat(up.waitFor(60, TimeUnit.SECONDS)).isTrue();
        // What an up killed with -9 leaves (a kill -9 would also leave its ZooKeeper session to
        // expire before the next one leads): a container of one of its instances.
        String left = docker.createContainerCmd(image).withCmd("sleep", "300")
                .withName("slipway-leftover-" + UUID.randomUUID().toString().substring(0, 8))
                .withLabels(Map.of(LeftoverContainers.LABEL_FRAMEWORK, frameworkId, "dev.slipway.app", "leftover"))
                .exec().getId();
        try {
            console.clear();
            up = start();
            awaitUp();

            assertThat(console).anyMatch(line -> line.startsWith(
                    "-----> Removed 1 instance container(s) a previous run left behind: slipway-leftover-"));
            assertThatThrownBy(() -> docker.inspectContainerCmd(left).exec()).isInstanceOf(NotFoundException.class);
        } finally {
            try {
                docker.removeContainerCmd(left).withForce(true).exec();
            } catch (NotFoundException gone) {
                // Removed by up, as it should.
            }
            DockerEngine.close(docker);
        }
    }

    private void awaitUp() {
        Awaitility.await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200)).until(() -> {
            assertThat(up.isAlive()).as("slipway up runs; its console:\n%s", text()).isTrue();
            return text().contains("Slipway is up");
        });
    }

    private static long infoLinesAfterUp(List<String> logged) {
        int up = -1;
        for (int i = 0; i < logged.size(); i++) {
            if (logged.get(i).contains("Slipway is up")) {
                up = i;
            }
        }
        return up < 0 ? 0 : logged.subList(up + 1, logged.size()).stream().filter(line -> line.contains(" INFO "))
                .count();
    }

    private Process start() throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(arg -> arg.startsWith("-Dcom.google.protobuf")).forEach(command::add);
        // The jar's classes and logback.xml, without the tests' (and their logback-test.xml): the
        // router child up starts gets the same classpath.
        String classpath = String.join(File.pathSeparator, Stream.of(System.getProperty("java.class.path")
                .split(File.pathSeparator)).filter(entry -> !entry.endsWith("test-classes")).toList());
        command.addAll(List.of("-cp", classpath, RouterChild.MAIN_CLASS, "up",
                "--data-dir", home.toString(), "--zk-port", "0", "--master-port", "0", "--agent-port", "0",
                "--api-port", "0", "--router-port", "0", "--builds", "host",
                "--executor-jar", SlipwayForTests.EXECUTOR_JAR.toString(),
                "--buildpacks-dir", SlipwayForTests.BUILDPACKS.toString()));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("SLIPWAY_HOME", home.toString());
        Process process = builder.start();
        Thread reader = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    console.add(line);
                }
            } catch (IOException e) {
                // The process ended.
            }
        }, "up-console");
        reader.setDaemon(true);
        reader.start();
        return process;
    }

    private String text() {
        synchronized (console) {
            return String.join("\n", console);
        }
    }
}
