package dev.slipway.router.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.slipway.zk.SelfSigned;
import dev.slipway.zk.TlsCertificate;
import dev.slipway.zk.TlsKeyPair;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The router's default certificate, and which certificate a server name gets. */
class HttpsListenerTest {
    @Test
    void withoutFilesTheDefaultCertificateIsASelfSignedOneForThePlatformDomain() {
        TlsKeyPair made = HttpsListener.defaultCertificate(null, null, "apps.example.com");

        assertThat(TlsKeyPair.dnsNames(made.leaf())).containsExactly("*.apps.example.com", "apps.example.com");
    }

    @Test
    void theFilesGivenAreTheDefaultCertificateAndABadPairStopsTheRouterSayingWhy(@TempDir Path dir) throws Exception {
        SelfSigned wildcard = SelfSigned.generate("*.apps.example.com");
        SelfSigned other = SelfSigned.generate("*.apps.example.com");
        Path cert = Files.writeString(dir.resolve("cert.pem"), wildcard.certificate());
        Path key = Files.writeString(dir.resolve("key.pem"), wildcard.privateKey());
        Path otherKey = Files.writeString(dir.resolve("other.pem"), other.privateKey());

        assertThat(HttpsListener.defaultCertificate(cert, key, "apps.example.com").leaf().getSubjectX500Principal().getName())
                .isEqualTo("CN=*.apps.example.com");
        assertThatThrownBy(() -> HttpsListener.defaultCertificate(cert, otherKey, "apps.example.com"))
                .hasMessageStartingWith("the router's default certificate (" + cert + ", " + otherKey + "): "
                        + "the private key does not belong to the certificate");
        assertThatThrownBy(() -> HttpsListener.defaultCertificate(dir.resolve("missing.pem"), key, "apps.example.com"))
                .hasMessageStartingWith("cannot read the router's default certificate");
    }

    @Test
    void aServerNameGetsItsDomainsCertificateElseTheNearestWildcardsElseTheDefault() {
        LiveCertificates live = new LiveCertificates(HttpsListener.defaultCertificate(null, null, "localhost"));
        live.accept(Map.of(
                "www.example.com", stored("www.example.com"),
                "*.example.com", stored("*.example.com"),
                "*.api.example.com", stored("*.api.example.com")));
        CertificateTable table = live.table();

        assertThat(table.lookup("www.example.com").alias()).startsWith("www.example.com#");
        assertThat(table.lookup("WWW.example.com.").alias()).startsWith("www.example.com#");
        assertThat(table.lookup("blog.example.com").alias()).startsWith("*.example.com#");
        assertThat(table.lookup("v1.api.example.com").alias()).startsWith("*.api.example.com#");
        assertThat(table.lookup("a.b.example.com").alias()).startsWith("*.example.com#");
        assertThat(table.lookup("example.com").alias()).startsWith("default#");
        assertThat(table.lookup("hello.localhost").alias()).startsWith("default#");
        assertThat(table.lookup(null).alias()).startsWith("default#");
    }

    @Test
    void anUnchangedCertificateKeepsItsAliasAndAReplacedOnesOldAliasStillResolvesOnce() {
        LiveCertificates live = new LiveCertificates(HttpsListener.defaultCertificate(null, null, "localhost"));
        TlsCertificate first = stored("www.example.com");
        live.accept(Map.of("www.example.com", first));
        String before = live.table().lookup("www.example.com").alias();
        live.accept(Map.of("www.example.com", first));
        assertThat(live.table().lookup("www.example.com").alias()).isEqualTo(before);

        live.accept(Map.of("www.example.com", stored("www.example.com")));

        assertThat(live.table().lookup("www.example.com").alias()).isNotEqualTo(before);
        assertThat(live.table().alias(before)).as("a handshake that chose it just before the swap").isNotNull();
        live.accept(Map.of());
        assertThat(live.table().alias(before)).isNull();
        assertThat(live.table().lookup("www.example.com").alias()).startsWith("default#");
    }

    @Test
    void aStoredCertificateTheRouterCannotUseIsLeftOutAndItsDomainGetsTheDefault() {
        LiveCertificates live = new LiveCertificates(HttpsListener.defaultCertificate(null, null, "localhost"));
        SelfSigned one = SelfSigned.generate("www.example.com");
        SelfSigned two = SelfSigned.generate("www.example.com");
        live.accept(Map.of("www.example.com", new TlsCertificate("www.example.com", "shop", "id", one.certificate(),
                two.privateKey(), Instant.EPOCH, Instant.EPOCH)));

        assertThat(live.table().lookup("www.example.com").alias()).startsWith("default#");
    }

    private static TlsCertificate stored(String hostname) {
        SelfSigned pair = SelfSigned.generate(hostname);
        return new TlsCertificate(hostname, "shop", "id-" + hostname, pair.certificate(), pair.privateKey(),
                Instant.EPOCH, Instant.EPOCH);
    }
}
