package dev.slipway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Heroku-style logs end to end, against all of Slipway in this JVM: an app that prints a line per
 * request runs under the real executor on mesos-local, its lines are shipped to the framework, and
 * {@code slipway logs} shows them beside Slipway's own events, recent or as they come.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LogsEndToEndTest {
    @RegisterExtension
    static final SlipwayForTests slipway = new SlipwayForTests();
    @TempDir
    static Path work;
    static String api;

    @BeforeAll
    static void givenAnApp() throws Exception {
        api = slipway.api();
        assertThat(Cli.run(api, "apps:create", "chatty").exitCode()).isZero();
        Cli.Result deployed = Cli.run(api, "deploy", chattyApp(work).toString(), "-a", "chatty");
        assertThat(deployed.exitCode()).as(deployed.toString()).isZero();
    }

    @Test
    @Order(1)
    void logsShowTheAppsLinesAndSlipwaysEvents() throws Exception {
        assertThat(TestHttp.viaRouter(slipway.routerPort(), "chatty.localhost").statusCode()).isEqualTo(200);

        Cli.Result logs = Awaitility.await().atMost(30, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(200))
                .until(() -> Cli.run(api, "logs", "-a", "chatty"), r -> r.out().contains("request 1 for /"));

        assertThat(logs.exitCode()).as(logs.toString()).isZero();
        String timestamp = "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6}\\+00:00 ";
        assertThat(logs.out()).containsPattern(timestamp + "app\\[web\\.1\\]: listening on port \\d+")
                .containsPattern(timestamp + "app\\[web\\.1\\]: request 1 for /")
                .containsPattern(timestamp + "slipway\\[api\\]: Build succeeded \\(build [0-9a-f]{8}\\)")
                .containsPattern(timestamp + "slipway\\[api\\]: Release v1 created")
                .containsPattern(timestamp + "slipway\\[web\\.1\\]: Starting process with command `java ")
                .containsPattern(timestamp + "slipway\\[web\\.1\\]: State changed from starting to up");
        assertThat(logs.out()).containsSubsequence("Release v1 created", "State changed from starting to up",
                "request 1 for /");
    }

    @Test
    @Order(2)
    void sourceDynoAndNumberNarrowTheLines() {
        Cli.Result slipwayOnly = Cli.run(api, "logs", "-a", "chatty", "--source", "slipway");
        Cli.Result appOnly = Cli.run(api, "logs", "-a", "chatty", "-s", "app", "-d", "web.1");
        Cli.Result last = Cli.run(api, "logs", "-a", "chatty", "-n", "1", "-s", "app");

        assertThat(slipwayOnly.out()).contains("Release v1 created").doesNotContain("app[web.1]");
        assertThat(appOnly.out()).contains("app[web.1]: request 1 for /").doesNotContain("slipway[");
        assertThat(last.out().lines()).singleElement().asString().endsWith("app[web.1]: request 1 for /");
    }

    @Test
    @Order(3)
    void errorsArePlainMessages() {
        Cli.Result unknown = Cli.run(api, "logs", "-a", "nobody");
        Cli.Result badSource = Cli.run(api, "logs", "-a", "chatty", "-s", "heroku");
        Cli.Result tooMany = Cli.run(api, "logs", "-a", "chatty", "-n", "5000");

        assertThat(unknown.exitCode()).isEqualTo(1);
        assertThat(unknown.err()).isEqualTo("error: app 'nobody' does not exist" + System.lineSeparator());
        assertThat(badSource.exitCode()).isEqualTo(1);
        assertThat(badSource.err()).contains("source must be app, slipway or router");
        assertThat(tooMany.exitCode()).isEqualTo(1);
        assertThat(tooMany.err()).contains("-n must be a number from 0 to 1500");
    }

    /** Runs last: the tail holds the CLI until Slipway stops. */
    @Test
    @Order(4)
    void tailPrintsANewRequestsLineWhileItRuns() throws Exception {
        Cli.Running tail = Cli.start(api, "logs", "-a", "chatty", "--tail", "-s", "app");
        // The recent lines come once the tail follows: from then on nothing is missed.
        Awaitility.await().atMost(30, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(50))
                .until(() -> tail.out().contains("request 1 for /"));

        assertThat(TestHttp.viaRouter(slipway.routerPort(), "chatty.localhost").statusCode()).isEqualTo(200);

        Awaitility.await().atMost(30, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(50))
                .until(() -> tail.out().contains("request 2 for /"));
        assertThat(tail.out()).containsSubsequence("app[web.1]: request 1 for /", "app[web.1]: request 2 for /");
    }

    /** A web app that prints one line per request it serves, made in {@code dir}. */
    static Path chattyApp(Path dir) throws IOException {
        Path app = Files.createDirectories(dir.resolve("chatty"));
        Files.writeString(app.resolve("Procfile"),
                "web: java -Xmx32m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 Chatty.java\n");
        Files.writeString(app.resolve("Chatty.java"), """
                import com.sun.net.httpserver.HttpServer;
                import java.net.InetSocketAddress;
                import java.nio.charset.StandardCharsets;
                import java.util.concurrent.atomic.AtomicInteger;

                public class Chatty {
                    public static void main(String[] args) throws Exception {
                        int port = Integer.parseInt(System.getenv("PORT"));
                        AtomicInteger requests = new AtomicInteger();
                        HttpServer server = HttpServer.create(new InetSocketAddress(port), 16);
                        server.createContext("/", exchange -> {
                            System.out.println("request " + requests.incrementAndGet() + " for "
                                    + exchange.getRequestURI().getPath());
                            byte[] body = "hello\\n".getBytes(StandardCharsets.UTF_8);
                            exchange.sendResponseHeaders(200, body.length);
                            exchange.getResponseBody().write(body);
                            exchange.close();
                        });
                        Runtime.getRuntime().addShutdownHook(new Thread(() -> server.stop(1)));
                        server.start();
                        System.out.println("listening on port " + port);
                    }
                }
                """);
        return app;
    }
}
