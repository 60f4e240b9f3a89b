package dev.slipway.framework.logs;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RouterLinesTest {
    private static final Instant ARRIVED = Instant.parse("2026-12-07T20:00:00Z");

    private static List<String> texts(Map<String, List<LogLine>> byApp, String app) {
        return byApp.get(app).stream().map(LogLine::text).toList();
    }

    @Test
    void aStampInTheLogsOwnFormIsKeptAsItIsAndEachAppKeepsItsOrder() {
        Map<String, List<LogLine>> byApp = RouterLines.parse(List.of(
                "north 2026-01-02T03:04:05.123456+00:00 at=info status=200",
                "north 2026-01-02T03:04:05.123457+00:00 at=info status=201",
                "south 2026-01-02T03:04:05.123458+00:00 at=info status=202",
                "north 2024-02-29T23:59:59.999999+00:00 at=info status=203"), ARRIVED);

        assertThat(byApp.keySet()).containsExactly("north", "south");
        assertThat(texts(byApp, "north")).containsExactly(
                "2026-01-02T03:04:05.123456+00:00 slipway[router]: at=info status=200",
                "2026-01-02T03:04:05.123457+00:00 slipway[router]: at=info status=201",
                "2024-02-29T23:59:59.999999+00:00 slipway[router]: at=info status=203");
        assertThat(byApp.get("south").get(0).dyno()).isEqualTo("router");
    }

    @Test
    void anotherOffsetIsReadAndWrittenInUtc() {
        assertThat(texts(RouterLines.parse(List.of("app 2026-01-02T05:04:05.5+02:00 at=info"), ARRIVED), "app"))
                .containsExactly("2026-01-02T03:04:05.500000+00:00 slipway[router]: at=info");
    }

    @Test
    void aStampThatIsNoTimeIsStampedOnArrivalAndKeptInTheMessage() {
        Map<String, List<LogLine>> byApp = RouterLines.parse(List.of(
                "app 2026-02-30T03:04:05.123456+00:00 at=info",
                "app 2026-01-02T24:04:05.123456+00:00 at=info",
                "app 2026-13-02T03:04:05.123456+00:00 at=info",
                "app 2026-01-02T03:04:05.12345x+00:00 at=info",
                "app at=info no stamp"), ARRIVED);

        assertThat(texts(byApp, "app")).containsExactly(
                "2026-12-07T20:00:00.000000+00:00 slipway[router]: 2026-02-30T03:04:05.123456+00:00 at=info",
                "2026-12-07T20:00:00.000000+00:00 slipway[router]: 2026-01-02T24:04:05.123456+00:00 at=info",
                "2026-12-07T20:00:00.000000+00:00 slipway[router]: 2026-13-02T03:04:05.123456+00:00 at=info",
                "2026-12-07T20:00:00.000000+00:00 slipway[router]: 2026-01-02T03:04:05.12345x+00:00 at=info",
                "2026-12-07T20:00:00.000000+00:00 slipway[router]: at=info no stamp");
    }
}
