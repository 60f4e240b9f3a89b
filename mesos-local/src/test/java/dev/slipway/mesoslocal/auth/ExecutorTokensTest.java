package dev.slipway.mesoslocal.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ExecutorTokensTest {
    static final byte[] KEY = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.UTF_8);
    final ExecutorTokens tokens = new ExecutorTokens(KEY, Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"),
            ZoneOffset.UTC));

    @Test
    void aTokenCarriesTheFrameworkExecutorAndContainerAsMesosClaims() throws Exception {
        String token = tokens.issue("fw-1", "web.1", "c-1");

        assertThat(tokens.verify(token)).isEqualTo(Map.of("fid", "fw-1", "eid", "web.1", "cid", "c-1"));
        assertThat(decode(token.split("\\.")[0])).isEqualTo("{\"alg\":\"HS256\",\"typ\":\"JWT\"}");
    }

    @Test
    void aTokenSignedWithAnotherKeyIsRefused() {
        String other = new ExecutorTokens("another key, 32 bytes long......".getBytes(StandardCharsets.UTF_8),
                Clock.systemUTC()).issue("fw-1", "web.1", "c-1");

        assertThatThrownBy(() -> tokens.verify(other)).hasMessage("Token signature does not match");
    }

    @Test
    void changedClaimsBreakTheSignature() {
        String[] parts = tokens.issue("fw-1", "web.1", "c-1").split("\\.");
        String forged = parts[0] + "." + encode("{\"cid\":\"c-1\",\"eid\":\"web.2\",\"fid\":\"fw-1\"}") + "." + parts[2];

        assertThatThrownBy(() -> tokens.verify(forged)).hasMessage("Token signature does not match");
    }

    @Test
    void anUnsignedTokenIsRefused() {
        String none = encode("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "." + encode("{\"eid\":\"web.1\"}") + ".";

        assertThatThrownBy(() -> tokens.verify(none)).hasMessage("Unsupported token algorithm: none");
    }

    @Test
    void malformedAndExpiredTokensAreRefused() {
        assertThatThrownBy(() -> tokens.verify("abc")).hasMessageContaining("Expected 3 components");
        assertThatThrownBy(() -> tokens.verify("!!.!!.!!")).hasMessageContaining("Failed to parse token header");
        assertThatThrownBy(() -> tokens.verify(signed("{\"eid\":\"web.1\",\"exp\":1000}")))
                .hasMessage("Token has expired");
    }

    private String signed(String payload) throws Exception {
        String input = encode("{\"alg\":\"HS256\",\"typ\":\"JWT\"}") + "." + encode(payload);
        javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
        mac.init(new javax.crypto.spec.SecretKeySpec(KEY, "HmacSHA256"));
        return input + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(
                mac.doFinal(input.getBytes(StandardCharsets.US_ASCII)));
    }

    private static String encode(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    private static String decode(String part) {
        return new String(Base64.getUrlDecoder().decode(part), StandardCharsets.UTF_8);
    }
}
