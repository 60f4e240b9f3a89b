package dev.slipway.zk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a certificate and key must be before Slipway stores them: each refusal says why. */
class TlsKeyPairTest {
    static final Instant NOW = Instant.now();

    @Test
    void aSelfSignedPairParsesAndCoversItsNames() {
        SelfSigned pair = SelfSigned.generate("www.example.com", "*.api.example.com");
        TlsKeyPair parsed = TlsKeyPair.parse(pair.certificate(), pair.privateKey());

        parsed.check("www.example.com", NOW);
        parsed.check("v1.api.example.com", NOW);
        parsed.check("*.api.example.com", NOW);
        assertThat(TlsKeyPair.dnsNames(parsed.leaf())).containsExactly("www.example.com", "*.api.example.com");
    }

    @Test
    void aWildcardCoversOneLabelOnly() {
        assertThat(TlsKeyPair.covers("*.example.com", "www.example.com")).isTrue();
        assertThat(TlsKeyPair.covers("*.example.com", "*.example.com")).isTrue();
        assertThat(TlsKeyPair.covers("*.example.com", "example.com")).isFalse();
        assertThat(TlsKeyPair.covers("*.example.com", "a.b.example.com")).isFalse();
        assertThat(TlsKeyPair.covers("www.example.com", "*.example.com")).isFalse();
    }

    @Test
    void aCertificateForAnotherNameIsRefusedNamingWhatItCovers() {
        SelfSigned pair = SelfSigned.generate("other.example.com");
        assertThatThrownBy(() -> TlsKeyPair.parse(pair.certificate(), pair.privateKey()).check("www.example.com", NOW))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the certificate is not for www.example.com: it names other.example.com");
    }

    @Test
    void anExpiredOrNotYetValidCertificateIsRefused() {
        SelfSigned expired = SelfSigned.generate(List.of("www.example.com"), NOW.minusSeconds(7200), NOW.minusSeconds(3600));
        SelfSigned future = SelfSigned.generate(List.of("www.example.com"), NOW.plusSeconds(3600), NOW.plusSeconds(7200));
        assertThatThrownBy(() -> TlsKeyPair.parse(expired.certificate(), expired.privateKey()).check("www.example.com", NOW))
                .hasMessageStartingWith("the certificate expired on ");
        assertThatThrownBy(() -> TlsKeyPair.parse(future.certificate(), future.privateKey()).check("www.example.com", NOW))
                .hasMessageStartingWith("the certificate is not valid before ");
    }

    @Test
    void aKeyOfAnotherCertificateIsRefused() {
        SelfSigned one = SelfSigned.generate("www.example.com");
        SelfSigned other = SelfSigned.generate("www.example.com");
        assertThatThrownBy(() -> TlsKeyPair.parse(one.certificate(), other.privateKey()))
                .hasMessageStartingWith("the private key does not belong to the certificate CN=www.example.com");
    }

    @Test
    void textThatIsNotPemOrAKeyInTheWrongPlaceIsRefused() {
        SelfSigned pair = SelfSigned.generate("www.example.com");
        assertThatThrownBy(() -> TlsKeyPair.parse("hello", pair.privateKey()))
                .hasMessage("no certificate found: expected PEM (-----BEGIN CERTIFICATE-----)");
        assertThatThrownBy(() -> TlsKeyPair.parse(pair.certificate(), "hello"))
                .hasMessage("no private key found: expected PEM (-----BEGIN PRIVATE KEY-----)");
        assertThatThrownBy(() -> TlsKeyPair.parse(pair.privateKey(), pair.privateKey()))
                .hasMessageContaining("only certificates (BEGIN CERTIFICATE) belong there");
        assertThatThrownBy(() -> TlsKeyPair.parse(pair.certificate(), pair.certificate()))
                .hasMessage("the key file holds a CERTIFICATE, not a private key");
        assertThatThrownBy(() -> TlsKeyPair.parse(pair.certificate().replace("MII", "MIX"), pair.privateKey()))
                .hasMessage("the certificate is not a valid X.509 certificate in PEM");
    }

    @Test
    void anOpensslRsaKeyInPkcs1IsReadAndAnEncryptedOneIsRefused(@TempDir Path dir) throws Exception {
        Path key = dir.resolve("key.pem");
        Path cert = dir.resolve("cert.pem");
        openssl(dir, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key.toString(), "-out", cert.toString(),
                "-days", "2", "-subj", "/CN=rsa.example.com", "-addext", "subjectAltName=DNS:rsa.example.com");
        Path pkcs1 = dir.resolve("pkcs1.pem");
        openssl(dir, "rsa", "-in", key.toString(), "-out", pkcs1.toString(), "-traditional");
        Path encrypted = dir.resolve("encrypted.pem");
        openssl(dir, "pkcs8", "-topk8", "-in", key.toString(), "-out", encrypted.toString(), "-passout", "pass:secret");

        assertThat(Files.readString(pkcs1)).contains("BEGIN RSA PRIVATE KEY");
        Instant later = Instant.now().plusSeconds(60);
        TlsKeyPair.parse(Files.readString(cert), Files.readString(pkcs1)).check("rsa.example.com", later);
        TlsKeyPair.parse(Files.readString(cert), Files.readString(key)).check("rsa.example.com", later);
        assertThatThrownBy(() -> TlsKeyPair.parse(Files.readString(cert), Files.readString(encrypted)))
                .hasMessageStartingWith("the private key is encrypted");
    }

    static void openssl(Path dir, String... args) throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>(List.of("openssl"));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor()).as(output).isZero();
    }
}
