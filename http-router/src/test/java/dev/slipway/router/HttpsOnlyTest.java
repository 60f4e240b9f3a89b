package dev.slipway.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.slipway.router.RawClient.Answer;
import dev.slipway.router.testing.TrustingTls;
import dev.slipway.zk.Route;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code https-only} feature at the router, on loopback: a plain-HTTP request to such an app is
 * redirected (301 for GET and HEAD, 308 for the rest) and never reaches it, the same request over
 * TLS does, an app without the feature is served over plain HTTP, and no Host header a client
 * makes up puts anything but a route-table hostname in {@code Location}.
 */
class HttpsOnlyTest {
    @TempDir
    Path zooKeeperData;

    private RouterScenario scenario;
    private AppInstance secure;
    private AppInstance plain;
    private AppInstance wild;
    private int port;
    private int httpsPort;

    @BeforeEach
    void startARouterWithAnHttpsOnlyAppAndAnotherOne() throws IOException {
        scenario = new RouterScenario(zooKeeperData);
        secure = scenario.instance("secure.web.1");
        plain = scenario.instance("plain.web.1");
        wild = scenario.instance("wild.web.1");
        scenario.route(new Route("secure", List.of("www.secure.example"), List.of(secure.endpoint()))
                .withHttpsOnly(true));
        scenario.route(new Route("wild", List.of("*.wild.example"), List.of(wild.endpoint())).withHttpsOnly(true));
        scenario.route("plain", plain);
        int free = freePort();
        scenario.configure = config -> config.withTls(new RouterConfig.Tls(free, null, null));
        HttpRouter router = scenario.startRouter();
        port = router.port();
        httpsPort = router.httpsPort();
        assertThat(httpsPort).isEqualTo(free);
    }

    @AfterEach
    void stopEverything() {
        scenario.close();
    }

    @Test
    void aPlainGetOrHeadIsMovedPermanentlyToHttpsAndNeverReachesTheApp() {
        Answer get = plainRequest("GET /cart?item=3 HTTP/1.1\r\nHost: secure.localhost\r\nConnection: close\r\n\r\n");
        Answer head = plainRequest("HEAD / HTTP/1.1\r\nHost: WWW.Secure.Example:" + port
                + "\r\nConnection: close\r\n\r\n");

        assertThat(get.statusLine()).isEqualTo("HTTP/1.1 301 Moved Permanently");
        assertThat(header(get, "Location")).isEqualTo("https://secure.localhost:" + httpsPort + "/cart?item=3");
        assertThat(header(get, "X-Request-Id")).isNotBlank();
        assertThat(header(get, "Content-Length")).isEqualTo("0");
        assertThat(head.statusLine()).startsWith("HTTP/1.1 301 ");
        assertThat(header(head, "Location")).isEqualTo("https://www.secure.example:" + httpsPort + "/");
        assertThat(secure.received()).isEmpty();
        List<String> lines = scenario.lines.awaitLines("secure", 2);
        assertThat(lines).anySatisfy(line -> assertThat(line).startsWith("at=info method=GET path=\"/cart?item=3\"")
                .contains("host=secure.localhost").contains("status=301").contains("protocol=http"));
    }

    @Test
    void aPlainRequestOfAnotherMethodIsRedirectedKeepingItsMethodAndBody() {
        Answer post = plainRequest("POST /orders HTTP/1.1\r\nHost: secure.localhost\r\nContent-Type: text/plain\r\n"
                + "Content-Length: 5\r\nConnection: close\r\n\r\nhello");
        Answer delete = plainRequest("DELETE /orders/1 HTTP/1.1\r\nHost: secure.localhost\r\nConnection: close\r\n\r\n");

        assertThat(post.statusLine()).isEqualTo("HTTP/1.1 308 Permanent Redirect");
        assertThat(header(post, "Location")).isEqualTo("https://secure.localhost:" + httpsPort + "/orders");
        assertThat(delete.statusLine()).startsWith("HTTP/1.1 308 ");
        assertThat(secure.received()).isEmpty();
    }

    @Test
    void theUnreadBodyOfARedirectedRequestIsNeverReadAsARequestOfItsOwn() {
        String hidden = "GET /smuggled HTTP/1.1\r\nHost: plain.localhost\r\n\r\n";
        try (RawClient client = new RawClient(port)) {
            client.send("POST /orders HTTP/1.1\r\nHost: secure.localhost\r\nContent-Length: " + hidden.length()
                    + "\r\n\r\n" + hidden);
            client.send("GET /next HTTP/1.1\r\nHost: secure.localhost\r\nConnection: close\r\n\r\n");
            Answer answers = client.readUntilClosed(Duration.ofSeconds(5));

            assertThat(answers.text()).startsWith("HTTP/1.1 308 ").contains("HTTP/1.1 301 ")
                    .contains("/next\r\n").doesNotContain("200 OK");
        }
        assertThat(plain.received()).isEmpty();
        assertThat(secure.received()).isEmpty();
    }

    @Test
    void theSameRequestOverTlsReachesTheAppWhateverItsForwardedProtoAndAPlainRequestCannotClaimTls()
            throws Exception {
        try (SSLSocket socket = tls("secure.localhost")) {
            Answer answer = new RawClient(socket).send("POST /orders HTTP/1.1\r\nHost: secure.localhost\r\n"
                    + "Content-Length: 5\r\nConnection: close\r\n\r\nhello").readUntilClosed(Duration.ofSeconds(5));
            assertThat(answer.statusLine()).startsWith("HTTP/1.1 200 ");
        }
        await().until(() -> secure.received().size() == 1);
        assertThat(secure.received().get(0).body()).isEqualTo("hello");

        Answer claimed = plainRequest("GET / HTTP/1.1\r\nHost: secure.localhost\r\nX-Forwarded-Proto: https\r\n"
                + "X-Forwarded-Ssl: on\r\nForwarded: proto=https\r\nConnection: close\r\n\r\n");
        assertThat(claimed.statusLine()).startsWith("HTTP/1.1 301 ");
        assertThat(secure.received()).hasSize(1);
    }

    @Test
    void anAppWithoutTheFeatureIsServedOverPlainHttp() {
        Answer answer = plainRequest("POST /form HTTP/1.1\r\nHost: plain.localhost\r\nContent-Length: 2\r\n"
                + "Connection: close\r\n\r\nok");

        assertThat(answer.statusLine()).startsWith("HTTP/1.1 200 ");
        assertThat(header(answer, "Location")).isNull();
        assertThat(plain.received()).hasSize(1);
    }

    @Test
    void noHostHeaderPutsAnythingButARouteTableHostnameInTheLocation() {
        Answer unknown = plainRequest("GET / HTTP/1.1\r\nHost: evil.example\r\nConnection: close\r\n\r\n");
        Answer absolute = plainRequest("GET http://secure.localhost/abs HTTP/1.1\r\nHost: evil.example\r\n"
                + "Connection: close\r\n\r\n");
        Answer userinfo = plainRequest("GET / HTTP/1.1\r\nHost: evil.example@secure.localhost\r\n"
                + "Connection: close\r\n\r\n");
        Answer underWildcard = plainRequest("GET /x HTTP/1.1\r\nHost: Tenant-1.Wild.Example.\r\n"
                + "Connection: close\r\n\r\n");
        Answer oddLabel = plainRequest("GET /x HTTP/1.1\r\nHost: a_b.wild.example\r\nConnection: close\r\n\r\n");
        Answer subDelims = plainRequest("GET /x HTTP/1.1\r\nHost: evil.example;x.wild.example\r\n"
                + "Connection: close\r\n\r\n");
        Answer slashes = plainRequest("GET //evil.example/x HTTP/1.1\r\nHost: secure.localhost\r\n"
                + "Connection: close\r\n\r\n");

        assertThat(unknown.statusLine()).startsWith("HTTP/1.1 404 ");
        assertThat(header(absolute, "Location")).isEqualTo("https://secure.localhost:" + httpsPort + "/abs");
        assertThat(userinfo.statusLine()).doesNotContain("301");
        assertThat(header(underWildcard, "Location")).isEqualTo("https://tenant-1.wild.example:" + httpsPort + "/x");
        assertThat(oddLabel.statusLine()).startsWith("HTTP/1.1 400 ");
        assertThat(subDelims.statusLine()).startsWith("HTTP/1.1 400 ");
        assertThat(header(slashes, "Location")).isEqualTo("https://secure.localhost:" + httpsPort + "//evil.example/x");
        for (Answer answer : List.of(unknown, userinfo, oddLabel, subDelims)) {
            assertThat(header(answer, "Location")).as(answer.text()).isNull();
        }
        assertThat(secure.received()).isEmpty();
        assertThat(wild.received()).isEmpty();
    }

    private Answer plainRequest(String request) {
        return RawClient.exchange(port, request);
    }

    /** The value of the answer's header {@code name}, null when it has none. */
    private static String header(Answer answer, String name) {
        String head = answer.text().split("\r\n\r\n", 2)[0];
        for (String line : head.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).equalsIgnoreCase(name)) {
                return line.substring(colon + 1).strip();
            }
        }
        return null;
    }

    private SSLSocket tls(String serverName) throws Exception {
        SSLContext context = TrustingTls.context();
        SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket(InetAddress.getLoopbackAddress(),
                httpsPort);
        SSLParameters parameters = socket.getSSLParameters();
        parameters.setServerNames(List.of(new SNIHostName(serverName)));
        socket.setSSLParameters(parameters);
        socket.setSoTimeout(10_000);
        socket.startHandshake();
        return socket;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
