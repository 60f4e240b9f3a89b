package dev.slipway.framework.api;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.spi.ILoggingEvent;
import com.fasterxml.jackson.databind.JsonNode;
import dev.slipway.zk.Json;
import dev.slipway.zk.SelfSigned;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code /apps/{app}/sni-endpoints} over HTTP: a certificate per custom domain, checked before it is
 * stored, each refusal a 422 saying why, and its private key never in an answer or a log line.
 */
class SniEndpointsApiTest {
    @RegisterExtension
    static final ApiScenario api = new ApiScenario();
    static final SlipwayLogs LOGS = new SlipwayLogs();

    @BeforeAll
    static void watchTheLogs() {
        LOGS.start();
    }

    @AfterAll
    static void noPrivateKeyReachedALogLine() {
        List<ILoggingEvent> lines = LOGS.stop();
        assertThat(lines).isNotEmpty();
        for (ILoggingEvent event : lines) {
            assertThat(event.getFormattedMessage()).doesNotContain("PRIVATE KEY");
        }
    }

    @Test
    void aCertificateIsAddedListedReplacedAndRemovedWithoutItsKeyEverShown() throws Exception {
        api.givenApp("tls-shop");
        addDomain("tls-shop", "www.tls-shop.example");
        SelfSigned first = SelfSigned.generate("www.tls-shop.example");

        HttpResponse<String> added = add("tls-shop", "WWW.tls-shop.example", first);

        assertThat(added.statusCode()).as(added.body()).isEqualTo(201);
        assertThat(added.body()).doesNotContain("PRIVATE KEY").doesNotContain("private_key");
        JsonNode body = Json.mapper().readTree(added.body());
        assertThat(body.path("name").asText()).isEqualTo("www.tls-shop.example");
        assertThat(body.path("domain").asText()).isEqualTo("www.tls-shop.example");
        assertThat(body.path("certificate_chain").asText()).isEqualTo(first.certificate());
        assertThat(body.path("ssl_cert").path("cert_domains").get(0).asText()).isEqualTo("www.tls-shop.example");
        assertThat(body.path("ssl_cert").path("self_signed").asBoolean()).isTrue();
        assertThat(body.path("ssl_cert").path("subject").asText()).isEqualTo("CN=www.tls-shop.example");
        assertThat(body.path("ssl_cert").path("fingerprint_sha256").asText()).matches("([0-9A-F]{2}:){31}[0-9A-F]{2}");
        assertThat(body.path("app").path("name").asText()).isEqualTo("tls-shop");
        assertThat(api.apps.certs().get("www.tls-shop.example")).get()
                .satisfies(stored -> assertThat(stored.privateKey()).isEqualTo(first.privateKey()));

        HttpResponse<String> listed = api.get("/apps/tls-shop/sni-endpoints");
        assertThat(listed.body()).doesNotContain("PRIVATE KEY");
        assertThat(Json.mapper().readTree(listed.body()).findValuesAsText("domain")).containsExactly("www.tls-shop.example");

        SelfSigned second = SelfSigned.generate("www.tls-shop.example");
        JsonNode replaced = Json.mapper().readTree(add("tls-shop", "www.tls-shop.example", second).body());
        assertThat(replaced.path("id").asText()).isEqualTo(body.path("id").asText());
        assertThat(replaced.path("certificate_chain").asText()).isEqualTo(second.certificate());
        assertThat(api.json("/apps/tls-shop/sni-endpoints/www.tls-shop.example").path("certificate_chain").asText())
                .isEqualTo(second.certificate());

        HttpResponse<String> removed = delete("/apps/tls-shop/sni-endpoints/www.tls-shop.example");
        assertThat(removed.statusCode()).isEqualTo(200);
        assertThat(removed.body()).doesNotContain("PRIVATE KEY");
        assertThat(api.apps.certs().get("www.tls-shop.example")).isEmpty();
        assertThat(delete("/apps/tls-shop/sni-endpoints/www.tls-shop.example").statusCode()).isEqualTo(404);
        assertThat(api.get("/apps/tls-shop/sni-endpoints/www.tls-shop.example").statusCode()).isEqualTo(404);
    }

    @Test
    void eachRefusalIsA422ThatSaysWhyAndStoresNothing() throws Exception {
        api.givenApp("tls-refused");
        addDomain("tls-refused", "www.tls-refused.example");
        api.givenApp("tls-other");
        addDomain("tls-other", "www.tls-other.example");
        SelfSigned good = SelfSigned.generate("www.tls-refused.example");
        SelfSigned otherName = SelfSigned.generate("elsewhere.example");
        Instant now = Instant.now();
        SelfSigned expired = SelfSigned.generate(List.of("www.tls-refused.example"), now.minusSeconds(7200), now.minusSeconds(3600));

        assertRefused(add("tls-refused", "www.tls-refused.example", otherName),
                "the certificate is not for www.tls-refused.example: it names elsewhere.example");
        assertRefused(add("tls-refused", "www.tls-refused.example", expired), "the certificate expired on ");
        assertRefused(post("tls-refused", Map.of("domain", "www.tls-refused.example", "certificate_chain", good.certificate(),
                "private_key", otherName.privateKey())), "the private key does not belong to the certificate");
        assertRefused(post("tls-refused", Map.of("domain", "www.tls-refused.example", "certificate_chain", "not pem",
                "private_key", good.privateKey())), "no certificate found");
        assertRefused(post("tls-refused", Map.of("domain", "www.tls-refused.example", "certificate_chain", good.certificate())),
                "domain, certificate_chain and private_key are all needed");
        assertRefused(add("tls-refused", "www.tls-other.example", SelfSigned.generate("www.tls-other.example")),
                "app 'tls-refused' has no custom domain www.tls-other.example");
        assertRefused(add("tls-refused", "tls-refused.localhost", SelfSigned.generate("tls-refused.localhost")),
                "is under the platform's domain localhost");

        assertThat(api.apps.certs().get("www.tls-refused.example")).isEmpty();
        assertThat(api.apps.certs().get("www.tls-other.example")).isEmpty();
    }

    @Test
    void removingTheDomainRemovesItsCertificate() throws Exception {
        api.givenApp("tls-gone");
        addDomain("tls-gone", "www.tls-gone.example");
        assertThat(add("tls-gone", "www.tls-gone.example", SelfSigned.generate("www.tls-gone.example")).statusCode())
                .isEqualTo(201);

        assertThat(delete("/apps/tls-gone/domains/www.tls-gone.example").statusCode()).isEqualTo(200);

        assertThat(api.apps.certs().get("www.tls-gone.example")).isEmpty();
        assertThat(api.json("/apps/tls-gone/sni-endpoints").size()).isZero();
    }

    private static void assertRefused(HttpResponse<String> answer, String detail) throws Exception {
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(422);
        assertThat(answer.headers().firstValue("Content-Type")).hasValueSatisfying(type ->
                assertThat(type).startsWith("application/problem+json"));
        assertThat(LifecycleApiTest.detail(answer)).contains(detail);
        assertThat(answer.body()).doesNotContain("PRIVATE KEY");
    }

    private static void addDomain(String app, String hostname) throws Exception {
        HttpResponse<String> added = api.post("/apps/" + app + "/domains", Json.mapper().writeValueAsString(
                Map.of("hostname", hostname)));
        assertThat(added.statusCode()).as(added.body()).isEqualTo(201);
    }

    private static HttpResponse<String> delete(String path) throws Exception {
        return ApiScenario.HTTP.send(api.request(path).DELETE().build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> add(String app, String domain, SelfSigned pair) throws Exception {
        return post(app, Map.of("domain", domain, "certificate_chain", pair.certificate(), "private_key", pair.privateKey()));
    }

    private static HttpResponse<String> post(String app, Map<String, String> body) throws Exception {
        return api.post("/apps/" + app + "/sni-endpoints", Json.mapper().writeValueAsString(body));
    }
}
