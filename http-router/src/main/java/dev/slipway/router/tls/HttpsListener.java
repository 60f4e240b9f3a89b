package dev.slipway.router.tls;

import dev.slipway.zk.SelfSigned;
import dev.slipway.zk.TlsKeyPair;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.KeyCertOptions;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.io.IOException;
import javax.net.ssl.SSLException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * The options of the router's HTTPS listener: TLS 1.2 and 1.3 only, forward-secret AEAD cipher
 * suites only (Mozilla's "intermediate" list without DHE), HTTP/2 and HTTP/1.1 offered by ALPN (h2
 * first: a client that takes it gets Netty's HTTP/2 codec, any other the framing guard and HTTP/1.1),
 * the certificate picked per handshake by {@link SniKeyManager} (the server name is read before ALPN
 * answers, so each protocol gets the same certificate).
 */
public final class HttpsListener {
    /** The protocols served; TLS 1.0 and 1.1 clients are refused in the handshake. */
    public static final Set<String> PROTOCOLS = Set.of("TLSv1.2", "TLSv1.3");
    /** TLS 1.3's suites, then TLS 1.2's ECDHE with AES-GCM or ChaCha20-Poly1305. */
    public static final List<String> CIPHER_SUITES = List.of(
            "TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256", "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256");

    /** The application protocols offered, the server's preference first (RFC 7301). */
    public static final List<HttpVersion> ALPN = List.of(HttpVersion.HTTP_2, HttpVersion.HTTP_1_1);

    private HttpsListener() {
    }

    /** TLS settings on {@code options}, serving the certificates of {@code live}. */
    public static HttpServerOptions secure(HttpServerOptions options, LiveCertificates live) {
        options.setSsl(true)
                .setUseAlpn(true)
                .setAlpnVersions(ALPN)
                // The key manager reads the server name itself: Vert.x's SNI would cache a context per name.
                .setSni(false)
                .setKeyCertOptions(KeyCertOptions.wrap(new SniKeyManager(live)))
                .setEnabledSecureTransportProtocols(PROTOCOLS);
        CIPHER_SUITES.forEach(options::addEnabledCipherSuite);
        return options;
    }

    /**
     * The TLS context of the Netty data path's HTTPS listener: the same protocols, suites and
     * per-handshake certificates and ALPN offer (h2, then http/1.1) as {@link #secure}. The JDK's
     * engine, as Vert.x uses by default, which asks {@link SniKeyManager} at every handshake.
     */
    public static SslContext nettyContext(LiveCertificates live) {
        try {
            return SslContextBuilder.forServer(new SniKeyManager(live))
                    .sslProvider(SslProvider.JDK)
                    .protocols(PROTOCOLS.toArray(String[]::new))
                    .ciphers(CIPHER_SUITES)
                    .applicationProtocolConfig(new ApplicationProtocolConfig(ApplicationProtocolConfig.Protocol.ALPN,
                            ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                            ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
                            ApplicationProtocolNames.HTTP_2, ApplicationProtocolNames.HTTP_1_1))
                    .build();
        } catch (SSLException e) {
            throw new IllegalStateException("the router's TLS context could not be made: " + e.getMessage(), e);
        }
    }

    /**
     * The default certificate: the PEM files given, checked now (a bad file stops the router with a
     * message saying what is wrong), or a self-signed one for {@code *.<domain>} and {@code <domain>}.
     */
    public static TlsKeyPair defaultCertificate(Path certificate, Path key, String domain) {
        if (certificate == null) {
            SelfSigned made = SelfSigned.generate("*." + domain, domain);
            return TlsKeyPair.parse(made.certificate(), made.privateKey());
        }
        try {
            return TlsKeyPair.parse(Files.readString(certificate), Files.readString(key));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the router's default certificate: " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the router's default certificate (" + certificate + ", " + key + "): "
                    + e.getMessage(), e);
        }
    }
}
