package dev.slipway.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.slipway.router.RawClient.Answer;
import dev.slipway.router.testing.TrustingTls;
import dev.slipway.zk.SelfSigned;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The router's HTTPS listener, tried with the JDK's TLS client and openssl on loopback: the
 * certificate of each custom domain by server name, the default one otherwise, certificates replaced
 * under a client that keeps connecting, old protocols refused, and the framing guard behind TLS.
 */
class RouterTlsTest {
    @TempDir
    Path zooKeeperData;

    private RouterScenario scenario;
    private AppInstance one;
    private AppInstance two;
    private int httpsPort;

    @BeforeEach
    void startARouterWithTwoAppsAndTheirCertificates() {
        scenario = new RouterScenario(zooKeeperData);
        one = scenario.instance("one.web.1");
        two = scenario.instance("two.web.1");
        scenario.route("one", List.of("www.one.example"), one.endpoint());
        scenario.route("two", List.of("*.two.example"), two.endpoint());
        scenario.certificate("one", "www.one.example", SelfSigned.generate("www.one.example"));
        scenario.certificate("two", "*.two.example", SelfSigned.generate("*.two.example"));
        httpsPort = scenario.startRouterWithTls().httpsPort();
    }

    @AfterEach
    void stopEverything() {
        scenario.close();
    }

    @Test
    void servesEachDomainsCertificateByServerNameAndTheDefaultOneOtherwise() throws Exception {
        assertThat(subject("www.one.example")).isEqualTo("CN=www.one.example");
        assertThat(subject("api.two.example")).isEqualTo("CN=*.two.example");
        assertThat(subject("WWW.One.Example")).isEqualTo("CN=www.one.example");
        assertThat(subject("hello.localhost")).isEqualTo("CN=*.localhost");
        assertThat(subject("unknown.example")).isEqualTo("CN=*.localhost");
        assertThat(subject(null)).as("no server name").isEqualTo("CN=*.localhost");
    }

    @Test
    void proxiesOverTlsWithHttpsInTheForwardedHeaders() throws Exception {
        try (SSLSocket socket = connect("www.one.example")) {
            String answer = exchange(socket, "GET / HTTP/1.1\r\nHost: www.one.example\r\nConnection: close\r\n\r\n");
            assertThat(answer).startsWith("HTTP/1.1 200 ");
        }
        await().until(() -> !one.received().isEmpty());
        AppInstance.Received received = one.received().get(0);
        assertThat(received.header("X-Forwarded-Proto")).isEqualTo("https");
        assertThat(received.header("X-Forwarded-Port")).isEqualTo(Integer.toString(httpsPort));
    }

    @Test
    void aReplacedCertificateIsServedFromTheNextHandshakeWhileAClientKeepsConnecting() throws Exception {
        SelfSigned replacement = SelfSigned.generate("www.one.example");
        X509Certificate before = peer("www.one.example");
        SSLSocket kept = connect("www.one.example");
        assertThat(exchange(kept, "GET /first HTTP/1.1\r\nHost: www.one.example\r\n\r\n")).startsWith("HTTP/1.1 200 ");

        AtomicBoolean stop = new AtomicBoolean();
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        Set<String> seen = ConcurrentHashMap.newKeySet();
        AtomicInteger handshakes = new AtomicInteger();
        Thread client = new Thread(() -> {
            while (!stop.get()) {
                try (SSLSocket socket = connect("www.one.example")) {
                    String answer = exchange(socket, "GET / HTTP/1.1\r\nHost: www.one.example\r\nConnection: close\r\n\r\n");
                    if (!answer.startsWith("HTTP/1.1 200 ")) {
                        throw new AssertionError("answered " + answer);
                    }
                    seen.add(((X509Certificate) socket.getSession().getPeerCertificates()[0]).getPublicKey().toString());
                    handshakes.incrementAndGet();
                } catch (Throwable e) {
                    failures.add(e);
                }
            }
        }, "tls-client");
        client.start();
        try {
            await().until(() -> handshakes.get() >= 3);
            scenario.certificate("one", "www.one.example", replacement);
            X509Certificate wanted = (X509Certificate) java.security.cert.CertificateFactory.getInstance("X.509")
                    .generateCertificate(new java.io.ByteArrayInputStream(replacement.certificate().getBytes(StandardCharsets.US_ASCII)));
            await().atMost(Duration.ofSeconds(20)).until(() -> seen.contains(wanted.getPublicKey().toString()));
            int after = handshakes.get();
            await().until(() -> handshakes.get() >= after + 3);
        } finally {
            stop.set(true);
            client.join();
        }
        assertThat(failures).isEmpty();
        assertThat(peer("www.one.example").getPublicKey()).isNotEqualTo(before.getPublicKey());
        // The connection made before the swap goes on with the certificate it had.
        assertThat(exchange(kept, "GET /second HTTP/1.1\r\nHost: www.one.example\r\nConnection: close\r\n\r\n"))
                .startsWith("HTTP/1.1 200 ");
        assertThat(((X509Certificate) kept.getSession().getPeerCertificates()[0]).getPublicKey()).isEqualTo(before.getPublicKey());
        kept.close();
    }

    @Test
    void aCertificateAddedWhileTheRouterRunsIsServedWithoutARestart() throws Exception {
        scenario.route("three", List.of("shop.three.example"), scenario.instance("three.web.1").endpoint());
        assertThat(subject("shop.three.example")).isEqualTo("CN=*.localhost");

        scenario.certificate("three", "shop.three.example", SelfSigned.generate("shop.three.example"));

        await().atMost(Duration.ofSeconds(20)).until(() -> subject("shop.three.example").equals("CN=shop.three.example"));
    }

    @Test
    void servesAnRsaCertificateMadeByOpensslOverTls12AndTls13(@TempDir Path dir) throws Exception {
        Path key = dir.resolve("key.pem");
        Path cert = dir.resolve("cert.pem");
        Process made = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key.toString(),
                "-out", cert.toString(), "-days", "2", "-subj", "/CN=rsa.one.example",
                "-addext", "subjectAltName=DNS:rsa.one.example").redirectErrorStream(true).start();
        made.getInputStream().readAllBytes();
        assertThat(made.waitFor()).isZero();
        scenario.route("rsa", List.of("rsa.one.example"), scenario.instance("rsa.web.1").endpoint());

        scenario.certificate("rsa", "rsa.one.example", new SelfSigned(Files.readString(cert), Files.readString(key)));

        await().atMost(Duration.ofSeconds(20)).until(() -> subject("rsa.one.example").equals("CN=rsa.one.example"));
        for (String protocol : List.of("TLSv1.2", "TLSv1.3")) {
            try (SSLSocket socket = connect("rsa.one.example", protocol)) {
                assertThat(socket.getSession().getProtocol()).isEqualTo(protocol);
                assertThat(((X509Certificate) socket.getSession().getPeerCertificates()[0]).getPublicKey().getAlgorithm())
                        .isEqualTo("RSA");
                assertThat(exchange(socket, "GET / HTTP/1.1\r\nHost: rsa.one.example\r\nConnection: close\r\n\r\n"))
                        .startsWith("HTTP/1.1 200 ");
            }
        }
    }

    @Test
    void servesTls12AndTls13AndRefusesTls11() throws Exception {
        assertThat(protocol("TLSv1.3")).isEqualTo("TLSv1.3");
        assertThat(protocol("TLSv1.2")).isEqualTo("TLSv1.2");
        String tls11 = openssl("-tls1_1", "-cipher", "DEFAULT@SECLEVEL=0");
        // The server's alert, not the client's refusal to offer TLS 1.1.
        assertThat(tls11).as(tls11).contains("alert protocol version").doesNotContain("BEGIN CERTIFICATE");
        String tls12 = openssl("-tls1_2");
        assertThat(tls12).as(tls12).contains("Protocol  : TLSv1.2").contains("ECDHE");
    }

    @Test
    void theFramingGuardRefusesASmuggledRequestOverTls() throws Exception {
        RawBackend backend = new RawBackend("smuggle.web.1");
        try {
            scenario.route("smuggle", List.of("www.smuggle.example"), backend.endpoint());
            await().until(() -> scenario.get("www.smuggle.example", "/").status() != 404);
            int before = backend.connections();
            try (RawClient client = new RawClient(connect("www.smuggle.example"))) {
                Answer answer = client.send("POST / HTTP/1.1\r\nHost: www.smuggle.example\r\nContent-Length: 5\r\n"
                                + "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\nGET /smuggled HTTP/1.1\r\nHost: www.smuggle.example\r\n\r\n")
                        .readUntilClosed(Duration.ofSeconds(5));
                assertThat(answer.statusLine()).startsWith("HTTP/1.1 400 ");
                assertThat(answer.closed()).isTrue();
            }
            assertThat(RawBackend.targets(backend.requests())).doesNotContain("/smuggled");
            assertThat(backend.connections()).isEqualTo(before);
        } finally {
            backend.close();
        }
    }

    private String subject(String serverName) throws Exception {
        return peer(serverName).getSubjectX500Principal().getName();
    }

    private X509Certificate peer(String serverName) throws Exception {
        try (SSLSocket socket = connect(serverName)) {
            return (X509Certificate) socket.getSession().getPeerCertificates()[0];
        }
    }

    private String protocol(String version) throws Exception {
        try (SSLSocket socket = connect("www.one.example", version)) {
            return socket.getSession().getProtocol();
        }
    }

    /** A TLS connection to the router, naming {@code serverName} (none when null), handshake done. */
    private SSLSocket connect(String serverName) throws IOException {
        return connect(serverName, null);
    }

    /** The same, offering only {@code protocol} (null: the JDK's default ones). */
    private SSLSocket connect(String serverName, String protocol) throws IOException {
        SSLSocket socket = (SSLSocket) TrustingTls.context().getSocketFactory().createSocket(InetAddress.getLoopbackAddress(), httpsPort);
        if (protocol != null) {
            socket.setEnabledProtocols(new String[] {protocol});
        }
        SSLParameters parameters = socket.getSSLParameters();
        parameters.setServerNames(serverName == null ? List.of() : List.of(new SNIHostName(serverName)));
        socket.setSSLParameters(parameters);
        socket.setSoTimeout(10_000);
        socket.startHandshake();
        return socket;
    }

    /** Sends a request and reads its answer's head and body (until the blank line and Content-Length bytes). */
    private static String exchange(SSLSocket socket, String request) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(request.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.ISO_8859_1));
        StringBuilder head = new StringBuilder();
        int length = 0;
        for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) {
            head.append(line).append("\r\n");
            if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
                length = Integer.parseInt(line.substring(15).trim());
            }
        }
        char[] body = new char[length];
        int read = 0;
        while (read < length) {
            int n = in.read(body, read, length - read);
            if (n < 0) {
                break;
            }
            read += n;
        }
        return head + "\r\n" + new String(body, 0, read);
    }

    /** Runs openssl s_client against the router with {@code options}; its output, both streams. */
    private String openssl(String... options) throws Exception {
        List<String> command = new ArrayList<>(List.of("openssl", "s_client", "-connect", "127.0.0.1:" + httpsPort,
                "-servername", "www.one.example"));
        command.addAll(List.of(options));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        process.waitFor();
        return output;
    }

}
