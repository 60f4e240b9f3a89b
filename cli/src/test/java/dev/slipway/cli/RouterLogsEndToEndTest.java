package dev.slipway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.router.log.LogShipper;
import dev.slipway.zk.PrivateFiles;
import io.vertx.core.Vertx;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The router's lines in the apps' logs, against all of Slipway in this JVM: {@code slipway up}
 * mints its router's credential into a 0600 file and starts the router with it and the API's URL;
 * lines shipped with that credential show in {@code slipway logs -s router}.
 *
 * <p>Until the proxy writes a line per request (the router-errors branch hands the router's
 * {@link dev.slipway.router.log.RouterLog} to its proxy), the lines are written here, through the
 * router's own {@link LogShipper} with the file {@code up} wrote, standing in for the router
 * process: once merged, this test sends a request through the router instead.
 */
class RouterLogsEndToEndTest {
    @RegisterExtension
    static final SlipwayForTests slipway = new SlipwayForTests();
    static final Vertx VERTX = Vertx.vertx();
    static String api;

    @BeforeAll
    static void givenAnApp() {
        api = slipway.api();
        assertThat(Cli.run(api, "apps:create", "routed").exitCode()).isZero();
    }

    @AfterAll
    static void stop() throws Exception {
        VERTX.close().await(10, TimeUnit.SECONDS);
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
    void theRoutersLinesShowInLogsWithSourceRouter() throws Exception {
        Path token = slipway.home().resolve("router").resolve(LocalSlipway.ROUTER_LOG_TOKEN);
        LogShipper router = LogShipper.start(VERTX, RouterCommand.logLinesUrl(URI.create(api)),
                LogShipper.CredentialSource.file(token), LogShipper.Settings.defaults(), Clock.systemUTC());
        try {
            router.line("routed", "at=info method=GET path=\"/\" host=routed.localhost request_id=abc "
                    + "fwd=\"127.0.0.1\" dyno=web.1 connect=1ms service=5ms status=200 bytes=6 protocol=http");
            router.line("nobody", "at=info method=GET path=\"/\" host=nobody.localhost status=404");

            Cli.Result logs = Awaitility.await().atMost(30, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(200))
                    .until(() -> Cli.run(api, "logs", "-a", "routed", "-s", "router"),
                            r -> r.out().contains("slipway[router]: at=info method=GET"));

            assertThat(logs.exitCode()).as(logs.toString()).isZero();
            assertThat(logs.out()).containsPattern("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6}\\+00:00 "
                    + "slipway\\[router\\]: at=info method=GET path=\"/\" host=routed\\.localhost .* status=200 ");
            assertThat(logs.out().lines()).allMatch(line -> line.contains(" slipway[router]: "));
            assertThat(Cli.run(api, "logs", "-a", "routed", "-s", "app").out()).doesNotContain("slipway[router]");
            assertThat(Cli.run(api, "logs", "-a", "routed", "-d", "router").out()).contains("slipway[router]");
        } finally {
            router.close(Duration.ofSeconds(2)).await(10, TimeUnit.SECONDS);
        }
    }
}
