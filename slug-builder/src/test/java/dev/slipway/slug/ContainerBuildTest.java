package dev.slipway.slug;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Builds in a container of the stack image, on the real Docker engine. */
class ContainerBuildTest {
    private static final long MEMORY = 768L * 1024 * 1024;

    @RegisterExtension
    static final TheStack STACK = new TheStack();

    @TempDir
    Path tmp;

    private final List<String> output = Collections.synchronizedList(new ArrayList<>());
    private int builds;

    @AfterEach
    void noBuildContainerIsLeft() {
        assertThat(STACK.docker().listContainersCmd().withShowAll(true)
                .withLabelFilter(Map.of(ContainerSandbox.LABEL, "hello")).exec()).isEmpty();
    }

    private AppDir aBuildpack(String compile) {
        AppDir pack = AppDir.at(tmp.resolve("bp-" + ++builds));
        pack.executable("bin/detect", "#!/usr/bin/env bash\necho Probe\n");
        pack.executable("bin/compile", "#!/usr/bin/env bash\nset -euo pipefail\n" + compile + "\n");
        pack.executable("bin/release", "#!/usr/bin/env bash\nprintf -- '---\\ndefault_process_types:\\n  web: ./run\\n'\n");
        return pack;
    }

    private CompiledSlug build(AppDir buildpack, Duration limit, Map<String, String> config) {
        AppDir app = AppDir.at(tmp.resolve("app-" + builds)).file("README", "hello\n")
                .executable("run", "#!/bin/sh\n");
        Path data = tmp.resolve("data");
        return new BuildpackCompiler(new SlugStore(data), data, TheStack.BUILT_INS, List.of(), limit,
                ProcfileCompiler.DEFAULT_MAX_SLUG_BYTES,
                new ContainerSandbox(STACK.docker(), STACK.image(), new ContainerSandbox.Limits(MEMORY, 1.0, 256)))
                .compile(new BuildRequest("hello", app.root(), output::add, config,
                        List.of(buildpack.root().toString())));
    }

    @Test
    void runsTheBuildpackInTheStackAsTheBuildUserWithTheBuildDirsMounted() {
        AppDir buildpack = aBuildpack("""
                echo "       args $1 $2 $3"
                echo "       user $(id -u) stack $STACK home $HOME"
                echo "       greeting $(cat "$3/GREETING")"
                echo built > "$1/built.txt"
                touch "$2/cached"
                """);

        CompiledSlug compiled = build(buildpack, Duration.ofMinutes(1), Map.of("GREETING", "hi"));

        assertThat(output).contains("-----> Building in a container of " + STACK.image(),
                "       args /tmp/build /tmp/cache /tmp/env",
                "       user 1000 stack slipway-stack home /app",
                "       greeting hi");
        assertThat(tmp.resolve("data/cache/hello/cached")).exists();
        assertThat(compiled.processTypes()).containsEntry("web", "./run");
    }

    @Test
    void aBuildpackMayWriteItsExportFileIntoItsOwnCopy() {
        AppDir buildpack = aBuildpack("""
                echo 'export FROM_BUILDPACK=1' > "$(dirname "$0")/../export"
                echo "       wrote $(dirname "$0")/../export"
                """);

        build(buildpack, Duration.ofMinutes(1), Map.of());

        assertThat(output).anyMatch(line -> line.startsWith("       wrote /tmp/buildpacks/"));
        assertThat(buildpack.root().resolve("export")).doesNotExist();
    }

    @Test
    void theBuildHasNoCapabilitiesAndTheMemoryLimit() {
        AppDir buildpack = aBuildpack("""
                echo "       caps $(grep CapEff /proc/self/status | cut -f2)"
                echo "       memory $(cat /sys/fs/cgroup/memory/memory.limit_in_bytes 2>/dev/null \
                    || cat /sys/fs/cgroup/memory.max)"
                """);

        build(buildpack, Duration.ofMinutes(1), Map.of());

        assertThat(output).contains("       caps 0000000000000000", "       memory " + MEMORY);
    }

    @Test
    void aBuildPastItsTimeLimitIsEndedWithItsContainer() {
        AppDir buildpack = aBuildpack("echo '-----> Waiting forever'\nsleep 600");

        assertThatThrownBy(() -> build(buildpack, Duration.ofSeconds(3), Map.of()))
                .isInstanceOf(BuildFailed.class)
                .hasMessage("build timed out after 3 s");
        assertThat(output).contains("-----> Waiting forever");
    }

    @Test
    void aFailingBuildpackFailsTheBuildNamingIt() {
        AppDir buildpack = aBuildpack("echo '       cannot go on' >&2\nexit 7");

        assertThatThrownBy(() -> build(buildpack, Duration.ofMinutes(1), Map.of()))
                .isInstanceOf(BuildFailed.class)
                .hasMessage("buildpack " + buildpack.root() + " failed: bin/compile exited 7");
        assertThat(output).contains("       cannot go on");
    }
}
