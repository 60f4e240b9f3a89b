package dev.slipway.router;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Custom and wildcard domains through a real router, with the Host header exactly as clients send it. */
class CustomDomainsTest {
    @TempDir
    Path zooKeeperData;

    private RouterScenario scenario;
    private HttpRouter router;

    @BeforeEach
    void start() {
        scenario = new RouterScenario(zooKeeperData);
        scenario.route("shop", List.of("www.example.com"), scenario.instance("shop.web.1").endpoint());
        scenario.route("tenants", List.of("*.example.com"), scenario.instance("tenants.web.1").endpoint());
        scenario.route("api", List.of("*.api.example.com"), scenario.instance("api.web.1").endpoint());
        router = scenario.startRouter();
    }

    @AfterEach
    void stop() {
        scenario.close();
    }

    @Test
    void aHostHeaderInAnotherCaseAndWithAPortReachesTheAppOfThatDomain() throws IOException {
        assertThat(request("WWW.Example.com:8080")).startsWith("HTTP/1.1 200").endsWith("shop.web.1");
        assertThat(request("www.example.com.")).startsWith("HTTP/1.1 200").endsWith("shop.web.1");
    }

    @Test
    void theExactDomainWinsAndThenTheMostSpecificWildcard() throws IOException {
        assertThat(request("blog.Example.COM")).endsWith("tenants.web.1");
        assertThat(request("v1.api.example.com:443")).endsWith("api.web.1");
        assertThat(request("api.example.com")).endsWith("tenants.web.1");
        assertThat(request("www.example.com")).endsWith("shop.web.1");
    }

    @Test
    void aNameNoDomainCoversIsNotFound() throws IOException {
        assertThat(request("example.com")).startsWith("HTTP/1.1 404");
        assertThat(request("www.example.org")).startsWith("HTTP/1.1 404");
    }

    /** The whole response to a GET with {@code host} as its Host header, sent as raw bytes. */
    private String request(String host) throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), router.port())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(("GET / HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
