package dev.slipway.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.slipway.router.testing.TrustingTls;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;

/** The router's Prometheus metrics on the admin listener, counted from real requests through it. */
class RouterMetricsTest extends WithRouterScenario {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void requestsErrorsAndTimesAreCountedByAppWithoutPathHostOrClientLabels() {
        scenario.route("hello", scenario.instance("web.1"));
        scenario.route("idle", List.of());
        scenario.configure = config -> config.withMetrics(new RouterConfig.Metrics("127.0.0.1", 0));
        HttpRouter router = scenario.startRouter();

        scenario.getTimes(3, "hello.localhost", "/secret-path?token=abc");
        scenario.get("idle.localhost", "/");
        scenario.get("nope.localhost", "/");
        scenario.lines.awaitLine("idle");

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            String metrics = scrape(router.metricsPort());
            assertThat(metrics)
                    .contains("slipway_router_requests_total{app=\"hello\",status=\"2xx\"} 3.0\n")
                    .contains("slipway_router_requests_total{app=\"idle\",status=\"5xx\"} 1.0\n")
                    .contains("slipway_router_errors_total{app=\"idle\",code=\"H14\"} 1.0\n")
                    .contains("slipway_router_service_seconds_count{app=\"hello\"} 3\n")
                    .contains("slipway_router_service_seconds_bucket{app=\"hello\",le=\"30.0\"} 3\n")
                    .contains("slipway_router_connect_seconds_count 3\n")
                    .contains("slipway_router_routes_apps 2.0\n")
                    .contains("slipway_router_routes_version ")
                    .contains("slipway_router_client_connections ")
                    .contains("slipway_router_requests_in_flight 0.0\n")
                    .contains("slipway_router_log_lines_dropped_total 0.0\n")
                    .containsPattern("slipway_router_received_bytes_total [1-9]")
                    .containsPattern("slipway_router_sent_bytes_total [1-9]")
                    .containsPattern("slipway_router_client_connections_accepted_total [1-9]")
                    .containsPattern("slipway_router_response_body_bytes_total\\{app=\"hello\"} [1-9]")
                    .doesNotContain("secret-path", "nope", "127.0.0.1", "hello.localhost");
        });
    }

    @Test
    void requestsInFlightAreCountedUntilTheirAnswerEnds() throws Exception {
        AppInstance silent = scenario.silentInstance("web.1");
        scenario.route("slow", silent);
        scenario.configure = config -> config.withMetrics(new RouterConfig.Metrics("127.0.0.1", 0));
        HttpRouter router = scenario.startRouter();

        try (RawClient client = new RawClient(router.port())) {
            client.send("GET /wait HTTP/1.1\r\nHost: slow.localhost\r\n\r\n");
            await().atMost(Duration.ofSeconds(10)).until(() -> silent.received().size() == 1);

            assertThat(scrape(router.metricsPort())).contains("slipway_router_requests_in_flight 1.0\n")
                    .contains("slipway_router_client_connections 1.0\n");
        }
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(scrape(router.metricsPort()))
                .contains("slipway_router_requests_in_flight 0.0\n")
                .contains("slipway_router_client_connections 0.0\n")
                .contains("slipway_router_errors_total{app=\"slow\",code=\"H27\"} 1.0\n"));
    }

    @Test
    void theAdminListenerAnswersOnlyMetricsAndTheRouterHasNoneUnlessAsked() throws Exception {
        scenario.configure = config -> config.withMetrics(new RouterConfig.Metrics("127.0.0.1", 0));
        HttpRouter router = scenario.startRouter();

        HttpResponse<String> metrics = get(router.metricsPort(), "/metrics");
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.headers().firstValue("Content-Type")).contains("text/plain; version=0.0.4; charset=utf-8");
        assertThat(metrics.body()).contains("# TYPE slipway_router_requests_in_flight gauge");
        assertThat(get(router.metricsPort(), "/").statusCode()).isEqualTo(404);
        assertThat(HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + router.metricsPort() + "/metrics"))
                .DELETE().build(), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(405);
        Futures.await(router.stop());

        scenario.configure = config -> config;
        assertThat(scenario.startRouter().metricsPort()).isEqualTo(-1);
    }

    @Test
    void tlsHandshakesAreCountedByResult() throws Exception {
        scenario.configure = config -> config.withMetrics(new RouterConfig.Metrics("127.0.0.1", 0));
        HttpRouter router = scenario.startRouterWithTls();

        try (SSLSocket socket = (SSLSocket) TrustingTls.context().getSocketFactory()
                .createSocket(InetAddress.getLoopbackAddress(), router.httpsPort())) {
            socket.startHandshake();
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(scrape(router.metricsPort()))
                    .contains("slipway_router_tls_handshakes_total{result=\"ok\"} 1.0\n"));
        }
        // Plain HTTP to the HTTPS port: no handshake.
        RawClient.exchange(router.httpsPort(), "GET / HTTP/1.1\r\nHost: hello.localhost\r\n\r\n");

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(scrape(router.metricsPort()))
                .contains("slipway_router_tls_handshakes_total{result=\"failed\"} 1.0\n")
                .contains("slipway_router_tls_handshakes_total{result=\"ok\"} 1.0\n"));
    }


    private static String scrape(int port) throws IOException, InterruptedException {
        HttpResponse<String> response = get(port, "/metrics");
        assertThat(response.statusCode()).isEqualTo(200);
        return response.body();
    }

    private static HttpResponse<String> get(int port, String path) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
