package dev.slipway.router.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RequestIdTest {
    @Test
    void keepsAnIdOfUpTo200SafeCharacters() {
        assertThat(RequestId.keepOrCreate("a1+=/_-Z")).isEqualTo("a1+=/_-Z");
        assertThat(RequestId.keepOrCreate("x".repeat(200))).isEqualTo("x".repeat(200));
    }

    @Test
    void makesANewIdForAMissingLongOrUnsafeOne() {
        assertThat(RequestId.keepOrCreate(null)).hasSize(36);
        assertThat(RequestId.keepOrCreate("")).hasSize(36);
        assertThat(RequestId.keepOrCreate("x".repeat(201))).hasSize(36);
        assertThat(RequestId.keepOrCreate("evil\r\nSet-Cookie: a=b")).hasSize(36);
    }
}
