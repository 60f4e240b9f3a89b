package dev.slipway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.slipway.router.testing.TrustingTls;
import dev.slipway.zk.Json;
import dev.slipway.zk.SelfSigned;
import dev.slipway.zk.TlsKeyPair;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
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
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS certificates as a user types them, against all of Slipway in this JVM with the router serving
 * HTTPS: {@code certs:add} makes the router present the domain's certificate at the next handshake,
 * {@code certs} lists it, a replacement is served without a restart, {@code certs:remove} brings the
 * default certificate back; refusals say why and no output carries the key.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CertsEndToEndTest {
    @RegisterExtension
    static final SlipwayForTests slipway = new SlipwayForTests().withRouterHttps();
    @TempDir
    static Path files;
    static String api;

    @BeforeAll
    static void givenAnAppWithACustomDomain() {
        api = slipway.api();
        Cli.ok(api, "apps:create", "secure");
        Cli.ok(api, "domains:add", "www.secure.test", "-a", "secure");
        assertThat(slipway.routerHttpsPort()).isPositive();
    }

    @Test
    @Order(1)
    void anAddedCertificateIsServedByTheRouterAndListedWithoutItsKey() throws Exception {
        assertThat(subject("www.secure.test")).isEqualTo("CN=*.localhost");
        SelfSigned pair = SelfSigned.generate("www.secure.test");

        Cli.Result added = Cli.run(api, "certs:add", "www.secure.test", write("cert.pem", pair.certificate()),
                write("key.pem", pair.privateKey()), "-a", "secure");

        assertThat(added.exitCode()).as(added.toString()).isZero();
        assertThat(added.out()).contains("Adding a certificate for www.secure.test to secure... done")
                .contains("self-signed").doesNotContain("PRIVATE KEY");
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> subject("www.secure.test").equals("CN=www.secure.test"));
        assertThat(subject("secure.localhost")).isEqualTo("CN=*.localhost");
        String listed = Cli.ok(api, "certs", "-a", "secure");
        assertThat(listed).contains("Domain").contains("www.secure.test").contains("self-signed");
        JsonNode json = Json.mapper().readTree(Cli.ok(api, "certs", "--json", "-a", "secure"));
        assertThat(json.findValuesAsText("domain")).containsExactly("www.secure.test");
        assertThat(json.toString()).doesNotContain("PRIVATE KEY").doesNotContain("private_key");
    }

    @Test
    @Order(2)
    void aReplacedCertificateIsServedWithoutARestart() throws Exception {
        SelfSigned replacement = SelfSigned.generate("www.secure.test", "secure.test");

        Cli.ok(api, "certs:add", "www.secure.test", write("cert2.pem", replacement.certificate()),
                write("key2.pem", replacement.privateKey()), "-a", "secure");

        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() ->
                TlsKeyPair.dnsNames(peer("www.secure.test")).contains("secure.test"));
    }

    @Test
    @Order(3)
    void refusalsSayWhyAndStoreNothing() throws Exception {
        SelfSigned other = SelfSigned.generate("other.test");
        Instant now = Instant.now();
        SelfSigned expired = SelfSigned.generate(List.of("www.secure.test"), now.minusSeconds(7200), now.minusSeconds(3600));

        Cli.Result wrongName = Cli.run(api, "certs:add", "www.secure.test", write("o.pem", other.certificate()),
                write("o.key", other.privateKey()), "-a", "secure");
        Cli.Result old = Cli.run(api, "certs:add", "www.secure.test", write("e.pem", expired.certificate()),
                write("e.key", expired.privateKey()), "-a", "secure");
        Cli.Result noDomain = Cli.run(api, "certs:add", "other.test", write("o2.pem", other.certificate()),
                write("o2.key", other.privateKey()), "-a", "secure");
        Cli.Result missing = Cli.run(api, "certs:add", "www.secure.test", files.resolve("nope.pem").toString(),
                write("n.key", other.privateKey()), "-a", "secure");

        assertThat(wrongName.exitCode()).isEqualTo(1);
        assertThat(wrongName.err()).contains("the certificate is not for www.secure.test: it names other.test");
        assertThat(old.err()).contains("the certificate expired on");
        assertThat(noDomain.err()).contains("has no custom domain other.test").contains("domains:add");
        assertThat(missing.exitCode()).isNotZero();
        assertThat(missing.err()).contains("cannot read the certificate file");
        for (Cli.Result refused : List.of(wrongName, old, noDomain, missing)) {
            assertThat(refused.out() + refused.err()).doesNotContain("PRIVATE KEY");
        }
        assertThat(TlsKeyPair.dnsNames(peer("www.secure.test"))).contains("secure.test");
    }

    @Test
    @Order(4)
    void aRemovedCertificateGivesWayToTheDefaultOne() throws Exception {
        Cli.Result removed = Cli.run(api, "certs:remove", "www.secure.test", "-a", "secure");

        assertThat(removed.exitCode()).as(removed.toString()).isZero();
        assertThat(removed.out()).contains("Removing the certificate of www.secure.test from secure... done");
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> subject("www.secure.test").equals("CN=*.localhost"));
        assertThat(Cli.ok(api, "certs", "-a", "secure")).contains("secure has no certificates.");
        Cli.Result again = Cli.run(api, "certs:remove", "www.secure.test", "-a", "secure");
        assertThat(again.exitCode()).isEqualTo(1);
        assertThat(again.err()).contains("no certificate for www.secure.test");
    }

    @Test
    @Order(5)
    void everyVerbHasHelp() {
        for (String verb : List.of("certs", "certs:add", "certs:remove")) {
            Cli.Result help = Cli.run(api, verb, "--help");
            assertThat(help.exitCode()).as(verb).isZero();
            assertThat(help.out()).contains("Usage:").contains("--app");
        }
        assertThat(Cli.run(api, "certs:add", "--help").out()).contains("CERT_FILE").contains("KEY_FILE");
    }

    private static String write(String name, String content) throws Exception {
        Path file = files.resolve(name);
        Files.writeString(file, content);
        return file.toString();
    }

    private static String subject(String serverName) throws Exception {
        return peer(serverName).getSubjectX500Principal().getName();
    }

    private static X509Certificate peer(String serverName) throws Exception {
        SSLContext context = TrustingTls.context();
        try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket(InetAddress.getLoopbackAddress(),
                slipway.routerHttpsPort())) {
            SSLParameters parameters = socket.getSSLParameters();
            parameters.setServerNames(List.of(new SNIHostName(serverName)));
            socket.setSSLParameters(parameters);
            socket.setSoTimeout(10_000);
            socket.startHandshake();
            return (X509Certificate) socket.getSession().getPeerCertificates()[0];
        }
    }
}
