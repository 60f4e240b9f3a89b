package dev.slipway.framework.api;

import dev.slipway.zk.App;
import dev.slipway.zk.AppStore;
import dev.slipway.zk.CertStore;
import dev.slipway.zk.NotFound;
import dev.slipway.zk.TlsCertificate;
import dev.slipway.zk.TlsKeyPair;
import dev.slipway.zk.Versioned;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /apps/{app}/sni-endpoints}, after the Heroku Platform API's SNI endpoints: the TLS
 * certificate the router serves for each custom domain of an app, one per domain, named by the
 * domain. A certificate is checked before it is stored (PEM, the key is the certificate's, the
 * certificate names the domain, it is valid now), each refusal a 422 saying why; adding one for a
 * domain that has one replaces it. The private key goes in and never comes out: no answer and no
 * log line carries it. The routers pick a new certificate up at their next handshake (docs/tls.md).
 */
final class SniEndpointsResource {
    private static final Logger LOG = LoggerFactory.getLogger(SniEndpointsResource.class);

    private final AppStore apps;
    private final CertStore certs;
    private final String domain;
    private final Clock clock;

    /** @param domain the platform's domain: its names are served with the router's default certificate */
    SniEndpointsResource(AppStore apps, String domain, Clock clock) {
        this.apps = apps;
        this.certs = apps.certs();
        this.domain = domain.toLowerCase(Locale.ROOT);
        this.clock = clock;
    }

    void mount(Router router) {
        router.get("/apps/:app/sni-endpoints").handler(ctx -> Handlers.respond(ctx, 200, () -> list(ctx)));
        router.get("/apps/:app/sni-endpoints/:hostname").handler(ctx -> Handlers.respond(ctx, 200, () -> one(ctx)));
        router.post("/apps/:app/sni-endpoints").handler(ctx -> Handlers.respond(ctx, 201, () -> add(ctx)));
        router.delete("/apps/:app/sni-endpoints/:hostname").handler(ctx -> Handlers.respond(ctx, 200, () -> remove(ctx)));
    }

    private List<SniEndpointBody> list(RoutingContext ctx) {
        App app = apps.require(AppsResource.app(ctx)).value();
        return certs.of(app).stream().map(SniEndpointsResource::body).toList();
    }

    private SniEndpointBody one(RoutingContext ctx) {
        App app = apps.require(AppsResource.app(ctx)).value();
        String hostname = named(ctx);
        return certs.of(app).stream().filter(c -> c.hostname().equals(hostname)).findFirst()
                .map(SniEndpointsResource::body)
                .orElseThrow(() -> new NotFound("app '" + app.name() + "' has no certificate for " + LogSafe.of(hostname, 100)));
    }

    private SniEndpointBody add(RoutingContext ctx) {
        Versioned<App> app = apps.require(AppsResource.app(ctx));
        SniEndpointCreate body = Handlers.body(ctx, SniEndpointCreate.class);
        if (body.domain() == null || body.certificateChain() == null || body.privateKey() == null) {
            throw new Invalid(422, "domain, certificate_chain and private_key are all needed");
        }
        String hostname = body.domain().trim().toLowerCase(Locale.ROOT);
        if (hostname.endsWith(".")) {
            hostname = hostname.substring(0, hostname.length() - 1);
        }
        if (hostname.equals(domain) || hostname.endsWith("." + domain) && !app.value().domains().contains(hostname)) {
            throw new Invalid(422, LogSafe.of(hostname, 100) + " is under the platform's domain " + domain
                    + ": the router serves it with its default certificate (docs/tls.md)");
        }
        if (!app.value().domains().contains(hostname)) {
            throw new Invalid(422, "app '" + app.value().name() + "' has no custom domain " + LogSafe.of(hostname, 100)
                    + ": add it first (domains:add)");
        }
        Instant now = Instant.now(clock);
        try {
            TlsKeyPair.parse(body.certificateChain(), body.privateKey()).check(hostname, now);
        } catch (IllegalArgumentException e) {
            throw new Invalid(422, e.getMessage());
        }
        TlsCertificate stored = certs.put(new TlsCertificate(hostname, app.value().name(), UUID.randomUUID().toString(),
                body.certificateChain(), body.privateKey(), now, now));
        SniEndpointBody added = body(stored);
        LOG.info("app {}: TLS certificate for {} {} (expires {})", stored.app(), stored.hostname(),
                stored.createdAt().equals(stored.updatedAt()) ? "added" : "replaced", added.sslCert().expiresAt());
        return added;
    }

    private SniEndpointBody remove(RoutingContext ctx) {
        App app = apps.require(AppsResource.app(ctx)).value();
        TlsCertificate removed = certs.remove(app.name(), named(ctx));
        LOG.info("app {}: TLS certificate for {} removed", removed.app(), removed.hostname());
        return body(removed);
    }

    /** The hostname in the path, as it is stored: lower case, no trailing dot. */
    private static String named(RoutingContext ctx) {
        String hostname = ctx.pathParam("hostname").toLowerCase(Locale.ROOT);
        return hostname.endsWith(".") ? hostname.substring(0, hostname.length() - 1) : hostname;
    }

    private static SniEndpointBody body(TlsCertificate stored) {
        // The chain only: an answer never reads the key.
        X509Certificate leaf = TlsKeyPair.certificates(stored.chain()).get(0);
        SslCert cert = new SslCert(TlsKeyPair.dnsNames(leaf), leaf.getNotBefore().toInstant(),
                leaf.getNotAfter().toInstant(), leaf.getIssuerX500Principal().getName(),
                leaf.getSubjectX500Principal().getName(),
                leaf.getIssuerX500Principal().equals(leaf.getSubjectX500Principal()), fingerprint(leaf));
        return new SniEndpointBody(stored.id(), stored.hostname(), stored.hostname(), stored.chain(), cert,
                stored.createdAt(), stored.updatedAt(), new DomainsResource.AppRef(stored.app()));
    }

    private static String fingerprint(X509Certificate leaf) {
        try {
            return HexFormat.ofDelimiter(":").withUpperCase()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(leaf.getEncoded()));
        } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
            throw new IllegalStateException("cannot take a certificate's SHA-256 fingerprint", e);
        }
    }

    /** {@code POST /apps/{app}/sni-endpoints}: the domain, its certificate chain (leaf first) and key, PEM. */
    record SniEndpointCreate(String domain, String certificateChain, String privateKey) {
        @Override
        public String toString() {
            return "SniEndpointCreate[domain=" + domain + ", privateKey=(hidden)]";
        }
    }

    /** What the leaf certificate says. */
    record SslCert(List<String> certDomains, Instant startsAt, Instant expiresAt, String issuer, String subject,
                   boolean selfSigned, String fingerprintSha256) {
    }

    /** An SNI endpoint as the API shows it: never its private key. */
    record SniEndpointBody(String id, String name, String domain, String certificateChain, SslCert sslCert,
                           Instant createdAt, Instant updatedAt, DomainsResource.AppRef app) {
    }
}
