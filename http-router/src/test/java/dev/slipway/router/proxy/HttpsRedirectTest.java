package dev.slipway.router.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.router.RouterConfig;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** What {@link HttpsRedirect} puts in {@code Location}, and when it redirects at all. */
class HttpsRedirectTest {
    private static final RouterConfig PLAIN = new RouterConfig("127.0.0.1", 8080, "localhost", Duration.ofSeconds(5),
            Duration.ofSeconds(30));

    @Test
    void aRouterWithoutAnHttpsListenerRedirectsNothing() {
        assertThat(HttpsRedirect.of(PLAIN)).isNull();
        assertThat(HttpsRedirect.of(PLAIN.withTls(new RouterConfig.Tls(443, null, null)))).isNotNull();
    }

    @Test
    void onlyDnsNamesOfLettersDigitsAndDashesAreHostsOfALocation() {
        assertThat(HttpsRedirect.plainHostName("www.shop-1.example")).isTrue();
        assertThat(HttpsRedirect.plainHostName("hello.localhost")).isTrue();
        for (String hostile : new String[] {"", "a_b.example", "evil.example;x.example", "evil.example/x",
            "evil@example", "a..example", ".example", "example.", "[::1]", "caf\u00e9.example", "a\r\nb.example",
            "x".repeat(254)}) {
            assertThat(HttpsRedirect.plainHostName(hostile)).as(hostile).isFalse();
        }
    }

    @Test
    void theTargetIsKeptWithAnythingButVisibleAsciiPercentEncoded() {
        assertThat(HttpsRedirect.encoded("/cart?item=3&x=%20#f")).isEqualTo("/cart?item=3&x=%20#f");
        assertThat(HttpsRedirect.encoded("")).isEqualTo("/");
        assertThat(HttpsRedirect.encoded("/caf\u00e9 x\r\n")).isEqualTo("/caf%C3%A9%20x%0D%0A");
    }
}
