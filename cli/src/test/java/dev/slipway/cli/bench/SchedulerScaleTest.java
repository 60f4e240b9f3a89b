package dev.slipway.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The benchmark's driver, small: 10 simulated agents, 5 apps of 2 web instances, both scenarios. */
class SchedulerScaleTest {
    @TempDir
    Path work;

    @Test
    void theBenchmarkPlacesEveryInstanceListsTheAppsAndReportsBesideMarathon() throws Exception {
        SchedulerScale.Options options = SchedulerScale.parse(new String[] {"--agents", "10", "--apps", "5",
                "--instances", "2", "--list-apps", "8", "--timeout", "120", "--work", work.toString(),
                "--buildpacks", "../buildpacks"});
        ByteArrayOutputStream progress = new ByteArrayOutputStream();

        List<SchedulerScale.Result> results = new SchedulerScale(options, new PrintStream(progress, true,
                StandardCharsets.UTF_8)).runAll();

        assertThat(results).extracting(SchedulerScale.Result::scenario).containsExactly("plain", "group-by-zone");
        assertThat(results).allSatisfy(r -> {
            assertThat(r.running()).isEqualTo(10);
            assertThat(r.placedSeconds()).isPositive();
            assertThat(r.end().heapUsed()).isPositive();
        });
        assertThat(results.get(0).listMillis()).containsOnlyKeys(5, 8);
        assertThat(results.get(0).zkSizes().largestBytes()).isPositive();
        assertThat(SchedulerScale.markdown(options, results)).contains("| plain | 10 of 10 |")
                .contains("| group-by-zone | 10 of 10 |").contains(SchedulerScale.MARATHON)
                .contains("`GET /apps` with 8 apps");
    }
}
