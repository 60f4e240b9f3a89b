package dev.slipway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.slipway.zk.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Custom domains as a user types them, against all of Slipway in this JVM: a domain added with
 * {@code domains:add} is answered by the app through the router, whatever the case of the Host
 * header and its port; a wildcard covers the names under it; a removed domain is not found.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DomainsEndToEndTest {
    @RegisterExtension
    static final SlipwayForTests slipway = new SlipwayForTests();
    @TempDir
    static Path source;
    static String api;

    @BeforeAll
    static void givenADeployedApp() throws Exception {
        api = slipway.api();
        Files.writeString(source.resolve("Procfile"),
                "web: java -Xmx32m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 Hello.java\n");
        Files.writeString(source.resolve("Hello.java"), """
                import com.sun.net.httpserver.HttpServer;
                import java.io.OutputStream;
                import java.net.InetSocketAddress;
                import java.nio.charset.StandardCharsets;

                public class Hello {
                    public static void main(String[] args) throws Exception {
                        HttpServer server = HttpServer.create(
                                new InetSocketAddress(Integer.parseInt(System.getenv("PORT"))), 64);
                        server.createContext("/", exchange -> {
                            byte[] body = "hello from the shop".getBytes(StandardCharsets.UTF_8);
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
        Cli.ok(api, "apps:create", "shop");
        Cli.ok(api, "apps:create", "rival");
        Cli.Result deployed = Cli.run(api, "deploy", source.toString(), "-a", "shop");
        assertThat(deployed.exitCode()).as(deployed.toString()).isZero();
        awaitAnswer("shop.localhost", 200);
    }

    @Test
    @Order(1)
    void anAddedDomainIsAnsweredByTheAppWhateverTheCaseAndPortOfTheHost() throws Exception {
        assertThat(answer("www.shop.test")).startsWith("HTTP/1.1 404");

        Cli.Result added = Cli.run(api, "domains:add", "www.shop.test", "-a", "shop");

        assertThat(added.exitCode()).as(added.toString()).isZero();
        assertThat(added.out()).contains("Adding www.shop.test to shop... done").contains("shop.localhost");
        awaitAnswer("WWW.Shop.test:8080", 200);
        assertThat(answer("www.shop.test")).endsWith("hello from the shop");
        assertThat(Cli.ok(api, "domains", "-a", "shop")).contains("Domain Name").contains("shop.localhost")
                .contains("www.shop.test").contains("CNAME");
        JsonNode json = Json.mapper().readTree(Cli.ok(api, "domains", "--json", "-a", "shop"));
        assertThat(json.findValuesAsText("hostname")).containsExactly("shop.localhost", "www.shop.test");
    }

    @Test
    @Order(2)
    void aWildcardDomainCoversTheNamesUnderIt() throws Exception {
        Cli.ok(api, "domains:add", "*.tenants.test", "-a", "shop");

        awaitAnswer("acme.tenants.test", 200);
        assertThat(answer("Other.Tenants.Test:443")).endsWith("hello from the shop");
        assertThat(answer("tenants.test")).startsWith("HTTP/1.1 404");
    }

    @Test
    @Order(3)
    void aDomainOfAnotherAppOrAnInvalidOneIsRefusedNamingWhy() {
        Cli.Result taken = Cli.run(api, "domains:add", "WWW.shop.test", "-a", "rival");
        Cli.Result withPort = Cli.run(api, "domains:add", "www.rival.test:8080", "-a", "rival");
        Cli.Result shadowing = Cli.run(api, "domains:add", "shop.localhost", "-a", "rival");

        assertThat(taken.exitCode()).isEqualTo(1);
        assertThat(taken.err()).startsWith("error:").contains("www.shop.test").contains("another app");
        assertThat(withPort.exitCode()).isEqualTo(1);
        assertThat(withPort.err()).contains("hostname").contains("port");
        assertThat(shadowing.exitCode()).isEqualTo(1);
        assertThat(shadowing.err()).contains("hostname");
        assertThat(Cli.ok(api, "domains", "-a", "rival")).contains("rival.localhost").doesNotContain("shop.test");
    }

    @Test
    @Order(4)
    void aRemovedDomainIsNotFoundAndFreeForAnotherApp() throws Exception {
        Cli.Result removed = Cli.run(api, "domains:remove", "www.shop.test", "-a", "shop");

        assertThat(removed.exitCode()).as(removed.toString()).isZero();
        assertThat(removed.out()).contains("Removing www.shop.test from shop... done");
        awaitAnswer("www.shop.test", 404);
        assertThat(answer("acme.tenants.test")).endsWith("hello from the shop");
        Cli.ok(api, "domains:add", "www.shop.test", "-a", "rival");
        Cli.Result again = Cli.run(api, "domains:remove", "www.shop.test", "-a", "shop");
        assertThat(again.exitCode()).isEqualTo(1);
        assertThat(again.err()).contains("no domain www.shop.test");
    }

    @Test
    @Order(5)
    void aDestroyedAppsDomainsAreFreeAgain() throws Exception {
        Cli.ok(api, "apps:destroy", "rival", "--confirm", "rival");

        Cli.Result taken = Cli.run(api, "domains:add", "www.shop.test", "-a", "shop");
        assertThat(taken.exitCode()).as(taken.toString()).isZero();
        awaitAnswer("www.shop.test", 200);
    }

    private static void awaitAnswer(String host, int status) {
        Awaitility.await().atMost(60, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                .until(() -> answer(host).startsWith("HTTP/1.1 " + status));
    }

    /** The router's whole answer to a GET with exactly {@code host} as its Host header. */
    private static String answer(String host) throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), slipway.routerPort())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(("GET / HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
