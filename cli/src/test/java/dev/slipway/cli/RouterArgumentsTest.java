package dev.slipway.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.slipway.router.DataPath;
import dev.slipway.router.RouterConfig;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code slipway router}'s options, read before anything starts, and what {@code up} passes its router. */
class RouterArgumentsTest {
    private static final String[] REQUIRED = {"--zk", "127.0.0.1:2181", "--zk-credentials-file", "zk.credentials"};

    @Test
    void withoutClientOptionsTheRouterHasNginxsLimits() {
        assertThat(router().config().clients()).isEqualTo(RouterConfig.ClientLimits.defaults());
    }

    @Test
    void eachClientLimitHasItsOption() {
        RouterConfig.ClientLimits limits = router("--header-timeout-seconds", "10", "--body-timeout-seconds", "20",
                "--keep-alive-timeout-seconds", "30", "--connections-per-address", "40").config().clients();

        assertThat(limits).isEqualTo(new RouterConfig.ClientLimits(Duration.ofSeconds(10), Duration.ofSeconds(20),
                Duration.ofSeconds(30), 40));
    }

    @Test
    void aBadLimitIsRefusedNamingIt() {
        assertThatThrownBy(() -> router("--header-timeout-seconds", "0").config()).isInstanceOf(CliError.class)
                .hasMessageContaining("header timeout must be positive");
        assertThatThrownBy(() -> router("--connections-per-address", "0").config()).isInstanceOf(CliError.class)
                .hasMessageContaining("connections per client address must be at least 1");
    }

    @Test
    void withoutOptionsTheRouterDrainsTenSecondsKeepsHerokusIdleWindowAndHasNoMetrics() {
        RouterConfig config = router().config();

        assertThat(config.drain()).isEqualTo(Duration.ofSeconds(10));
        assertThat(config.idleTimeout()).isEqualTo(Duration.ofSeconds(55));
        assertThat(config.metrics()).isNull();
    }

    @Test
    void metricsDrainAndIdleWindowHaveTheirOptions() {
        RouterConfig config = router("--metrics-port", "9180", "--drain-seconds", "30",
                "--idle-timeout-seconds", "120").config();

        assertThat(config.metrics()).isEqualTo(new RouterConfig.Metrics("127.0.0.1", 9180));
        assertThat(config.drain()).isEqualTo(Duration.ofSeconds(30));
        assertThat(config.idleTimeout()).isEqualTo(Duration.ofSeconds(120));
        assertThat(router("--metrics-port", "0", "--metrics-host", "0.0.0.0").config().metrics())
                .isEqualTo(new RouterConfig.Metrics("0.0.0.0", 0));
    }

    @Test
    void aBadMetricsPortDrainOrIdleWindowIsRefusedNamingIt() {
        assertThatThrownBy(() -> router("--metrics-port", "70000").config()).isInstanceOf(CliError.class)
                .hasMessageContaining("router metrics port must be 0-65535");
        assertThatThrownBy(() -> router("--drain-seconds", "-1").config()).isInstanceOf(CliError.class)
                .hasMessageContaining("router drain time must not be negative");
        assertThatThrownBy(() -> router("--idle-timeout-seconds", "0").config()).isInstanceOf(CliError.class)
                .hasMessageContaining("router idle timeout must be positive");
    }

    @Test
    void theDataPathIsVertxUnlessNettyIsAskedForAndAnythingElseIsRefusedNamingIt() {
        assertThat(router().config().dataPath()).isEqualTo(DataPath.VERTX);
        assertThat(router("--data-path", "netty").config().dataPath()).isEqualTo(DataPath.NETTY);
        assertThatThrownBy(() -> router("--data-path", "nginx").config()).isInstanceOf(CliError.class)
                .hasMessageContaining("router data path must be vertx or netty, not 'nginx'");
    }

    @Test
    void upPassesItsRouterTheMetricsPortOnlyWhenAsked() {
        RouterChild.Settings without = new RouterChild.Settings("127.0.0.1", 0, "localhost", "127.0.0.1:2181",
                Path.of("zk.credentials"), URI.create("http://127.0.0.1:7070"), Path.of("log.token"));
        RouterChild.Settings with = new RouterChild.Settings("127.0.0.1", 0, -1, "localhost", "127.0.0.1:2181",
                Path.of("zk.credentials"), URI.create("http://127.0.0.1:7070"), Path.of("log.token"), 9180);

        assertThat(RouterChild.command(Path.of("router.pid"), without)).doesNotContain("--metrics-port");
        assertThat(RouterChild.command(Path.of("router.pid"), with)).containsSubsequence("--metrics-port", "9180");
        RouterPidFile running = new RouterPidFile(42, "127.0.0.1", 8080, -1, "localhost", "127.0.0.1:2181",
                RouterPidFile.thisBuild(), "http://127.0.0.1:7070", 9180);
        assertThat(with.metBy(running)).isTrue();
        assertThat(without.metBy(running)).isFalse();
    }

    @Test
    void theApiAndTheLogTokenFileGoTogether() {
        assertThatThrownBy(() -> router("--api", "http://127.0.0.1:7070").call()).isInstanceOf(CliError.class)
                .hasMessageContaining("--api and --log-token-file go together");
        assertThatThrownBy(() -> router("--log-token-file", "log.token").call()).isInstanceOf(CliError.class)
                .hasMessageContaining("--api and --log-token-file go together");
    }

    @Test
    void logLinesGoToTheApisRouterLogLines() {
        assertThat(RouterCommand.logLinesUrl(URI.create("http://127.0.0.1:7070")))
                .isEqualTo(URI.create("http://127.0.0.1:7070/router-log-lines"));
        assertThat(RouterCommand.logLinesUrl(URI.create("https://api.example.com/slipway/")))
                .isEqualTo(URI.create("https://api.example.com/slipway/router-log-lines"));
    }

    @Test
    void upStartsItsRouterWithTheApiAndTheLogTokenFile() {
        List<String> command = RouterChild.command(Path.of("router.pid"), new RouterChild.Settings("127.0.0.1", 0,
                "localhost", "127.0.0.1:2181", Path.of("zk.credentials"), URI.create("http://127.0.0.1:7070"),
                Path.of("router", "log.token")));

        assertThat(command).containsSubsequence("--api", "http://127.0.0.1:7070")
                .containsSubsequence("--log-token-file", Path.of("router", "log.token").toString());
    }

    private static RouterCommand router(String... args) {
        RouterCommand router = new RouterCommand();
        String[] all = new String[REQUIRED.length + args.length];
        System.arraycopy(REQUIRED, 0, all, 0, REQUIRED.length);
        System.arraycopy(args, 0, all, REQUIRED.length, args.length);
        new CommandLine(router).parseArgs(all);
        return router;
    }
}
