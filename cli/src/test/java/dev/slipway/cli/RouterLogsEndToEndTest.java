package dev.slipway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.zk.PrivateFiles;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The router's lines in the apps' logs, against all of Slipway in this JVM: {@code slipway up}
 * mints its router's credential into a 0600 file and starts the router with it and the API's URL;
 * a request through that router shows in {@code slipway logs -s router}.
 *
 */
class RouterLogsEndToEndTest {
    @RegisterExtension
    static final SlipwayForTests slipway = new SlipwayForTests();
    static String api;

    @BeforeAll
    static void givenAnApp() {
        api = slipway.api();
        assertThat(Cli.run(api, "apps:create", "routed").exitCode()).isZero();
    }

    @Test
    void upHandsItsRouterTheApiAndACredentialOnlyItsUserMayRead() throws Exception {
        Path token = slipway.home().resolve("router").resolve(LocalSlipway.ROUTER_LOG_TOKEN);

        assertThat(token).isRegularFile();
        assertThat(Files.readString(token)).startsWith("slwrouter.local.");
        assertThat(PrivateFiles.readableByOthers(token)).isFalse();
        assertThat(RouterPidFile.read(slipway.home().resolve("router").resolve("router.pid")))
                .hasValueSatisfying(router -> assertThat(router.api()).isEqualTo(api));
    }

    @Test
    void aRequestThroughTheRouterShowsInLogsWithSourceRouter() throws Exception {
        // No instance runs: the router answers H14 itself and says so in the app's log.
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + slipway.routerPort() + "/hello?x=1"))
                .header("Host", "routed.localhost").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(503);

        Cli.Result logs = Awaitility.await().atMost(30, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(200))
                .until(() -> Cli.run(api, "logs", "-a", "routed", "-s", "router"),
                        r -> r.out().contains("slipway[router]: at=error code=H14"));

        assertThat(logs.exitCode()).as(logs.toString()).isZero();
        assertThat(logs.out()).containsPattern("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6}\\+00:00 "
                + "slipway\\[router\\]: at=error code=H14 desc=\"No web dynos running\" method=GET path=\"/hello\\?x=1\" "
                + "host=routed\\.localhost .*status=503 ");
        assertThat(logs.out().lines()).allMatch(line -> line.contains(" slipway[router]: "));
        assertThat(Cli.run(api, "logs", "-a", "routed", "-s", "app").out()).doesNotContain("slipway[router]");
        assertThat(Cli.run(api, "logs", "-a", "routed", "-d", "router").out()).contains("slipway[router]");
    }
}
