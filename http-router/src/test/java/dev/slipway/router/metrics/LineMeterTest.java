package dev.slipway.router.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.router.log.RouterLog;
import dev.slipway.router.route.RouteTable;
import org.junit.jupiter.api.Test;

/** Router lines read into metrics: the router's own fields only, whatever a client put into the line. */
class LineMeterTest {
    private final RouterMetrics metrics = new RouterMetrics(RouteTable::empty, RouterLog.NONE);

    @Test
    void anInfoLineCountsItsStatusClassServiceTimeAndBytes() {
        metrics.lines().line("hello", "at=info method=GET path=\"/\" host=hello.localhost request_id=abc "
                + "fwd=\"127.0.0.1\" dyno=web.1 connect=1ms service=12ms status=204 bytes=321 protocol=http");

        assertThat(metrics.scrape())
                .contains("slipway_router_requests_total{app=\"hello\",status=\"2xx\"} 1.0\n")
                .contains("slipway_router_service_seconds_sum{app=\"hello\"} 0.012\n")
                .contains("slipway_router_connect_seconds_sum 0.001\n")
                .contains("slipway_router_response_body_bytes_total{app=\"hello\"} 321.0\n")
                .doesNotContain("slipway_router_errors_total{");
    }

    @Test
    void anErrorLineWithoutTimesCountsItsCodeOnly() {
        metrics.lines().line("idle", "at=error code=H14 desc=\"No web dynos running\" method=GET path=\"/\" "
                + "host=idle.localhost request_id=abc fwd=\"127.0.0.1\" dyno= connect= service= status=503 bytes=0 protocol=https");

        assertThat(metrics.scrape())
                .contains("slipway_router_errors_total{app=\"idle\",code=\"H14\"} 1.0\n")
                .contains("slipway_router_requests_total{app=\"idle\",status=\"5xx\"} 1.0\n")
                .contains("slipway_router_service_seconds_count{app=\"idle\"} 0\n")
                .contains("slipway_router_connect_seconds_count 0\n");
    }

    @Test
    void fieldsAClientForgedInThePathHostOrForwardedForAreNotRead() {
        // RouterLine quotes what the client sent; the forgery sits before the router's own fields.
        metrics.lines().line("hello", "at=info method=GET path=\"/x status=500 bytes=99999 protocol=http\" "
                + "host=\"a status=500\" request_id=abc fwd=\"1.2.3.4 code=H99 service=999999ms\" dyno=web.1 "
                + "connect=2ms service=3ms status=200 bytes=5 protocol=http");
        metrics.lines().line("hello", "at=info code=H13 path=\"/\" status=200");
        metrics.lines().line("hello", "not a router line");

        assertThat(metrics.scrape())
                .contains("slipway_router_requests_total{app=\"hello\",status=\"2xx\"} 1.0\n")
                .contains("slipway_router_requests_total{app=\"hello\",status=\"5xx\"} 0.0\n")
                .contains("slipway_router_service_seconds_sum{app=\"hello\"} 0.003\n")
                .contains("slipway_router_response_body_bytes_total{app=\"hello\"} 5.0\n")
                .doesNotContain("H99", "H13");
    }
}
