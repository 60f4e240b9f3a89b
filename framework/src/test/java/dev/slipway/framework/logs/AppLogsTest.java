package dev.slipway.framework.logs;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The apps' logs in memory: ring buffers, filters and followers. */
class AppLogsTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-02T03:04:05.123456Z"), ZoneOffset.UTC);
    private final AppLogs logs = new AppLogs(CLOCK);

    @Test
    void keepsTheLastFifteenHundredLinesOfEachApp() {
        logs.append("hello", appLines("web.1", 2000));
        logs.append("other", appLines("web.1", 3));

        List<String> kept = logs.recent("hello", 5000, LogFilter.ALL);

        assertThat(kept).hasSize(AppLogs.MAX_LINES);
        assertThat(kept.get(0)).endsWith("app[web.1]: line 500");
        assertThat(kept.get(kept.size() - 1)).endsWith("app[web.1]: line 1999");
        assertThat(logs.recent("hello", 2, LogFilter.ALL)).containsExactly(
                "2026-01-02T03:04:05.000000+00:00 app[web.1]: line 1998",
                "2026-01-02T03:04:05.000000+00:00 app[web.1]: line 1999");
        assertThat(logs.recent("other", 100, LogFilter.ALL)).hasSize(3);
        assertThat(logs.recent("unknown", 100, LogFilter.ALL)).isEmpty();
    }

    @Test
    void filtersByDynoProcessTypeAndSourceAsHerokuDoes() {
        logs.append("hello", List.of(
                line("app[web.1]: one"), line("app[web.2]: two"), line("app[worker.1]: three")));
        logs.event("hello", "web.1", "State changed from starting to up");
        logs.event("hello", "api", "Release v3 created");

        assertThat(logs.recent("hello", 100, new LogFilter("web.1", null)))
                .containsExactly(line("app[web.1]: one"), "2026-01-02T03:04:05.123456+00:00 slipway[web.1]: State changed from starting to up");
        assertThat(logs.recent("hello", 100, new LogFilter("web", null))).hasSize(3);
        assertThat(logs.recent("hello", 100, new LogFilter(null, "app"))).hasSize(3);
        assertThat(logs.recent("hello", 100, new LogFilter(null, "slipway"))).containsExactly(
                "2026-01-02T03:04:05.123456+00:00 slipway[web.1]: State changed from starting to up",
                "2026-01-02T03:04:05.123456+00:00 slipway[api]: Release v3 created");
        assertThat(logs.recent("hello", 100, new LogFilter("web.1", "app"))).containsExactly(line("app[web.1]: one"));
        assertThat(logs.recent("hello", 1, new LogFilter("worker", null))).containsExactly(line("app[worker.1]: three"));
    }

    @Test
    void cutsLinesLongerThanTenKilobytesWithoutBreakingACharacter() {
        String longLine = line("app[web.1]: ") + "é".repeat(LogLine.MAX_BYTES);

        logs.append("hello", List.of(longLine));

        String kept = logs.recent("hello", 1, LogFilter.ALL).get(0);
        assertThat(kept.getBytes(java.nio.charset.StandardCharsets.UTF_8)).hasSizeLessThanOrEqualTo(LogLine.MAX_BYTES)
                .hasSizeGreaterThan(LogLine.MAX_BYTES - 2);
        assertThat(longLine).startsWith(kept);
    }

    @Test
    void aLineNotInHerokusFormatIsKeptAsTheAppsOwnOfAnUnknownDyno() {
        logs.append("hello", List.of("just text"));

        assertThat(logs.recent("hello", 1, new LogFilter(null, "app")))
                .containsExactly("2026-01-02T03:04:05.123456+00:00 app[unknown]: just text");
    }

    @Test
    void aFollowerGetsTheRecentLinesThenEachNewLineItsFilterLetsThrough() {
        logs.append("hello", List.of(line("app[web.1]: before"), line("app[web.2]: not this dyno")));
        List<String> told = new CopyOnWriteArrayList<>();

        AppLogs.Following following = logs.follow("hello", 10, new LogFilter("web.1", null), told::add);
        logs.append("hello", List.of(line("app[web.2]: other"), line("app[web.1]: after")));
        logs.event("hello", "web.1", "State changed from up to down");

        assertThat(following.recent()).containsExactly(line("app[web.1]: before"));
        assertThat(told).containsExactly(line("app[web.1]: after"),
                "2026-01-02T03:04:05.123456+00:00 slipway[web.1]: State changed from up to down");
        assertThat(logs.followers("hello")).isOne();
    }

    @Test
    void aStoppedFollowerIsToldNothingMoreAndForgotten() {
        List<String> told = new ArrayList<>();
        AppLogs.Following following = logs.follow("hello", 0, LogFilter.ALL, told::add);

        following.stop();
        following.stop();
        logs.append("hello", List.of(line("app[web.1]: unheard")));

        assertThat(following.recent()).isEmpty();
        assertThat(told).isEmpty();
        assertThat(logs.followers("hello")).isZero();
    }

    @Test
    void linesShippedByAnInstanceAreTheAppsOwnWhateverTheyClaim() {
        logs.append("hello", List.of(line("slipway[api]: Release v7 created"), line("router[web.1]: at=info")));

        assertThat(logs.recent("hello", 100, new LogFilter(null, "slipway"))).isEmpty();
        assertThat(logs.recent("hello", 100, new LogFilter(null, "app"))).containsExactly(
                line("app[api]: Release v7 created"), line("app[web.1]: at=info"));
    }

    private static String line(String rest) {
        return "2026-01-02T03:04:05.000000+00:00 " + rest;
    }

    private static List<String> appLines(String dyno, int count) {
        return IntStream.range(0, count).mapToObj(i -> line("app[" + dyno + "]: line " + i)).toList();
    }
}
