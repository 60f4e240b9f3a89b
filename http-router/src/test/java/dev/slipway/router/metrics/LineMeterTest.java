package dev.slipway.router.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.router.log.RouterLine;
import dev.slipway.router.log.RouterLog;
import dev.slipway.router.route.RouteTable;
import org.junit.jupiter.api.Test;

/** Router lines counted into metrics: from the line's fields, whatever a client put into its values. */
class LineMeterTest {
    private final RouterMetrics metrics = new RouterMetrics(RouteTable::empty, RouterLog.NONE);

    @Test
    void anInfoLineCountsItsStatusClassServiceTimeAndBytes() {
        metrics.lines().line("hello", new RouterLine(null, null, "GET", "/", "hello.localhost", "abc", "127.0.0.1",
                "web.1", 1, 12, 204, 321, "http"));

        assertThat(metrics.scrape())
                .contains("slipway_router_requests_total{app=\"hello\",status=\"2xx\"} 1.0\n")
                .contains("slipway_router_service_seconds_sum{app=\"hello\"} 0.012\n")
                .contains("slipway_router_connect_seconds_sum 0.001\n")
                .contains("slipway_router_response_body_bytes_total{app=\"hello\"} 321.0\n")
                .doesNotContain("slipway_router_errors_total{");
    }

    @Test
    void anErrorLineWithoutTimesCountsItsCodeOnly() {
        metrics.lines().line("idle", new RouterLine("H14", "No web dynos running", "GET", "/", "idle.localhost", "abc",
                "127.0.0.1", "", -1, -1, 503, 0, "https"));

        assertThat(metrics.scrape())
                .contains("slipway_router_errors_total{app=\"idle\",code=\"H14\"} 1.0\n")
                .contains("slipway_router_requests_total{app=\"idle\",status=\"5xx\"} 1.0\n")
                .contains("slipway_router_service_seconds_count{app=\"idle\"} 0\n")
                .contains("slipway_router_connect_seconds_count 0\n");
    }

    @Test
    void whatAClientPutInThePathHostOrForwardedForIsNotCounted() {
        metrics.lines().line("hello", new RouterLine(null, null, "GET", "/x status=500 bytes=99999 protocol=http",
                "a status=500", "abc", "1.2.3.4 code=H99 service=999999ms", "web.1", 2, 3, 200, 5, "http"));

        assertThat(metrics.scrape())
                .contains("slipway_router_requests_total{app=\"hello\",status=\"2xx\"} 1.0\n")
                .contains("slipway_router_requests_total{app=\"hello\",status=\"5xx\"} 0.0\n")
                .contains("slipway_router_service_seconds_sum{app=\"hello\"} 0.003\n")
                .contains("slipway_router_response_body_bytes_total{app=\"hello\"} 5.0\n")
                .doesNotContain("H99");
    }
}
