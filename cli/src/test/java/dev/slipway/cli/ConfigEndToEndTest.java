package dev.slipway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Config vars and rollback as a user types them, against all of Slipway in this JVM: a config
 * change is a release the running instance sees (through the router), a rollback restores the old
 * slug and config, and a planted secret value reaches no log line of the whole run.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConfigEndToEndTest {
    static final String SECRET = "planted-secret-4c2b9e7d";
    static final ListAppender<ILoggingEvent> LOGS = new ListAppender<>();
    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    @RegisterExtension
    static final SlipwayForTests slipway = new SlipwayForTests();
    @TempDir
    static Path source;
    static String api;

    @BeforeAll
    static void givenAnAppThatShowsItsGreetingAndTheLogsWatched() throws Exception {
        LOGS.start();
        slipwaysLogger().addAppender(LOGS);
        slipwaysLogger().setLevel(ch.qos.logback.classic.Level.DEBUG);
        slipwaysLogger().setAdditive(false);
        api = slipway.api();
        Files.writeString(source.resolve("Procfile"),
                "web: java -Xmx32m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 Greeter.java\n");
        Files.writeString(source.resolve("Greeter.java"), """
                import com.sun.net.httpserver.HttpServer;
                import java.io.OutputStream;
                import java.net.InetSocketAddress;
                import java.nio.charset.StandardCharsets;

                public class Greeter {
                    public static void main(String[] args) throws Exception {
                        HttpServer server = HttpServer.create(
                                new InetSocketAddress(Integer.parseInt(System.getenv("PORT"))), 64);
                        server.createContext("/", exchange -> {
                            byte[] body = ("greeting=" + System.getenv("GREETING") + "\\n")
                                    .getBytes(StandardCharsets.UTF_8);
                            exchange.sendResponseHeaders(200, body.length);
                            try (OutputStream out = exchange.getResponseBody()) {
                                out.write(body);
                            }
                        });
                        Runtime.getRuntime().addShutdownHook(new Thread(() -> server.stop(1)));
                        server.start();
                    }
                }
                """);
        Cli.ok(api, "apps:create", "greet");
    }

    @AfterAll
    static void theSecretReachedNoLogLine() {
        slipwaysLogger().detachAppender(LOGS);
        slipwaysLogger().setLevel(null);
        slipwaysLogger().setAdditive(true);
        assertThat(LOGS.list).isNotEmpty();
        for (ILoggingEvent event : LOGS.list) {
            assertThat(event.getFormattedMessage()).doesNotContain(SECRET);
            assertThat(String.valueOf(event.getThrowableProxy() == null ? ""
                    : event.getThrowableProxy().getMessage())).doesNotContain(SECRET);
        }
    }

    @Test
    @Order(1)
    void configSetBeforeTheFirstDeployIsStoredAndTheFirstReleaseCarriesIt() throws Exception {
        assertThat(Cli.ok(api, "config:set", "GREETING=first", "API_KEY=" + SECRET, "-a", "greet"))
                .contains("stored for the app's first release");

        Cli.Result deployed = Cli.run(api, "deploy", source.toString(), "-a", "greet");

        assertThat(deployed.exitCode()).as(deployed.toString()).isZero();
        assertThat(deployed.out()).contains("Released v1").doesNotContain(SECRET);
        awaitGreeting("first");
    }

    @Test
    @Order(2)
    void configSetMakesANewReleaseTheRunningInstanceSees() throws Exception {
        Cli.Result set = Cli.run(api, "config:set", "GREETING=second", "-a", "greet");

        assertThat(set.exitCode()).as(set.toString()).isZero();
        assertThat(set.out()).contains("Setting GREETING on greet... done, v2").contains("up");
        awaitGreeting("second");
        assertThat(Cli.ok(api, "config", "-a", "greet")).contains("=== greet Config Vars")
                .contains("API_KEY:  " + SECRET).contains("GREETING: second");
        assertThat(Cli.ok(api, "config:get", "GREETING", "-a", "greet")).isEqualTo("second\n");
        assertThat(Cli.ok(api, "releases:info", "v2", "-a", "greet")).contains("Set GREETING")
                .contains("API_KEY, GREETING").doesNotContain(SECRET).doesNotContain("second");
        assertThat(Cli.ok(api, "releases", "-a", "greet")).doesNotContain(SECRET);
    }

    @Test
    @Order(3)
    void rollbackRestoresTheOldReleasesSlugAndConfig() throws Exception {
        Files.writeString(source.resolve("Greeter.java"), Files.readString(source.resolve("Greeter.java"))
                .replace("(\"greeting=\"", "(\"new code, greeting=\""));
        Cli.Result redeployed = Cli.run(api, "deploy", source.toString(), "-a", "greet");
        assertThat(redeployed.exitCode()).as(redeployed.toString()).isZero();
        awaitBody("new code, greeting=second");

        Cli.Result rolled = Cli.run(api, "rollback", "v1", "-a", "greet");

        assertThat(rolled.exitCode()).as(rolled.toString()).isZero();
        assertThat(rolled.out()).contains("Rolling back greet to v1... done, v4");
        awaitGreeting("first");
        assertThat(Cli.ok(api, "config:get", "GREETING", "-a", "greet")).isEqualTo("first\n");
        assertThat(Cli.ok(api, "releases:info", "-a", "greet")).contains("Rollback to v1").containsPattern("User +admin");
        assertThat(Cli.ok(api, "rollback", "--no-wait", "-a", "greet")).contains("Rolling back greet to v3... done, v5");
        awaitBody("new code, greeting=second");
    }

    @Test
    @Order(4)
    void unsetRemovesTheVarFromTheInstance() throws Exception {
        assertThat(Cli.ok(api, "config:unset", "GREETING", "-a", "greet")).contains("done, v6");

        awaitBody("new code, greeting=null");
        Cli.Result missing = Cli.run(api, "config:get", "GREETING", "-a", "greet");
        assertThat(missing.exitCode()).isEqualTo(1);
        assertThat(missing.err()).contains("not set");
    }

    @Test
    @Order(5)
    void badInputIsRefusedNamingWhatIsWrong() {
        Cli.Result badName = Cli.run(api, "config:set", "1FOO=x", "-a", "greet");
        Cli.Result noValue = Cli.run(api, "config:set", "FOO", "-a", "greet");
        Cli.Result noRelease = Cli.run(api, "rollback", "v99", "-a", "greet");

        assertThat(badName.exitCode()).isNotZero();
        assertThat(badName.err()).contains("'1FOO'");
        assertThat(noValue.exitCode()).isNotZero();
        assertThat(noValue.err()).contains("KEY=VALUE");
        assertThat(noRelease.exitCode()).isNotZero();
        assertThat(noRelease.err()).contains("no release v99");
        assertThat(Cli.ok(api, "releases", "-a", "greet")).contains("v6").doesNotContain("v7");
    }

    private static void awaitGreeting(String greeting) {
        awaitBody("greeting=" + greeting);
    }

    private static void awaitBody(String line) {
        Awaitility.await().atMost(60, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                .until(() -> get().body().equals(line + "\n"));
    }

    private static HttpResponse<String> get() throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + slipway.routerPort() + "/"))
                .header("Host", "greet.localhost").timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static Logger slipwaysLogger() {
        return ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger("dev.slipway");
    }
}
