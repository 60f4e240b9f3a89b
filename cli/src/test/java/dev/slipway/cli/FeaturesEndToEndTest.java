package dev.slipway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.slipway.router.testing.TrustingTls;
import dev.slipway.zk.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * App features as a user types them, against all of Slipway in this JVM with the router serving
 * HTTPS: {@code features:enable https-only} makes the router answer the app's plain-HTTP requests
 * with a redirect to HTTPS while its HTTPS requests go on as before, {@code features} and
 * {@code apps:info} show it, {@code features:disable} takes it back; an unknown feature is refused.
 * The app is never deployed: the router answers for it (H14 503) all the same, and redirects first.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FeaturesEndToEndTest {
    @RegisterExtension
    static final SlipwayForTests slipway = new SlipwayForTests().withRouterHttps();
    static String api;

    @BeforeAll
    static void givenAnAppTheRouterKnows() {
        api = slipway.api();
        Cli.ok(api, "apps:create", "vault");
        awaitPlain("vault.localhost", "HTTP/1.1 503");
    }

    @Test
    @Order(1)
    void anAppsFeaturesAreListedDisabledAtFirst() throws Exception {
        String listed = Cli.ok(api, "features", "-a", "vault");

        assertThat(listed).contains("=== App Features vault").contains("[ ] https-only");
        JsonNode json = Json.mapper().readTree(Cli.ok(api, "features", "--json", "-a", "vault"));
        assertThat(json.findValuesAsText("name")).containsExactly("https-only");
        assertThat(json.get(0).path("enabled").asBoolean(true)).isFalse();
        assertThat(Cli.ok(api, "apps:info", "-a", "vault")).contains("Features:").contains("none");
    }

    @Test
    @Order(2)
    void httpsOnlyRedirectsPlainHttpAndLeavesHttpsAlone() throws Exception {
        Cli.Result enabled = Cli.run(api, "features:enable", "https-only", "-a", "vault");

        assertThat(enabled.exitCode()).as(enabled.toString()).isZero();
        assertThat(enabled.out()).contains("Enabling https-only for vault... done");
        awaitPlain("vault.localhost", "HTTP/1.1 301");
        String moved = plain("Vault.Localhost:" + slipway.routerPort(), "GET /account?tab=2");
        assertThat(moved.toLowerCase(java.util.Locale.ROOT)).contains("\r\nlocation: https://vault.localhost")
                .contains("/account?tab=2\r\n");
        assertThat(plain("vault.localhost", "POST /account")).startsWith("HTTP/1.1 308");
        assertThat(overTls("vault.localhost")).as("not redirected over TLS").startsWith("HTTP/1.1 503");
        assertThat(Cli.ok(api, "features", "-a", "vault")).contains("[+] https-only");
        assertThat(Cli.ok(api, "features:info", "https-only", "-a", "vault")).contains("Enabled:").contains("true")
                .contains("tls.md");
        assertThat(Cli.ok(api, "apps:info", "-a", "vault")).contains("Features:").contains("https-only");
    }

    @Test
    @Order(3)
    void anUnknownFeatureIsRefusedNamingTheKnownOnes() {
        Cli.Result unknown = Cli.run(api, "features:enable", "preboot", "-a", "vault");
        Cli.Result noApp = Cli.run(api, "features:disable", "https-only", "-a", "nowhere");

        assertThat(unknown.exitCode()).isEqualTo(1);
        assertThat(unknown.err()).startsWith("error:").contains("preboot").contains("https-only");
        assertThat(noApp.exitCode()).isEqualTo(1);
        assertThat(noApp.err()).contains("nowhere");
    }

    @Test
    @Order(4)
    void aDisabledFeatureServesPlainHttpAgain() throws Exception {
        Cli.Result disabled = Cli.run(api, "features:disable", "https-only", "-a", "vault");

        assertThat(disabled.exitCode()).as(disabled.toString()).isZero();
        assertThat(disabled.out()).contains("Disabling https-only for vault... done");
        awaitPlain("vault.localhost", "HTTP/1.1 503");
        assertThat(Cli.ok(api, "features", "-a", "vault")).contains("[ ] https-only");
    }

    private static void awaitPlain(String host, String statusLine) {
        Awaitility.await().atMost(60, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                .until(() -> plain(host, "GET /").startsWith(statusLine));
    }

    /** The router's whole answer, over plain HTTP, to {@code requestLine} with exactly {@code host} as its Host. */
    private static String plain(String host, String requestLine) throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), slipway.routerPort())) {
            return exchange(socket, host, requestLine);
        }
    }

    /** The router's whole answer to a GET over TLS, naming {@code host} in SNI and Host. */
    private static String overTls(String host) throws Exception {
        SSLContext context = TrustingTls.context();
        try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket(InetAddress.getLoopbackAddress(),
                slipway.routerHttpsPort())) {
            SSLParameters parameters = socket.getSSLParameters();
            parameters.setServerNames(List.of(new SNIHostName(host)));
            socket.setSSLParameters(parameters);
            return exchange(socket, host, "GET /");
        }
    }

    private static String exchange(Socket socket, String host, String requestLine) throws IOException {
        socket.setSoTimeout(10_000);
        OutputStream out = socket.getOutputStream();
        String body = requestLine.startsWith("POST") ? "a=1" : "";
        out.write((requestLine + " HTTP/1.1\r\nHost: " + host + "\r\nContent-Length: " + body.length()
                + "\r\nConnection: close\r\n\r\n" + body).getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }
}
