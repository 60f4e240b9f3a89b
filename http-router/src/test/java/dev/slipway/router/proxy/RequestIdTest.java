package dev.slipway.router.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
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

    @Test
    void aNewIdIsARandomVersion4UuidAsHerokuMakes() {
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            String id = RequestId.keepOrCreate(null);
            UUID uuid = UUID.fromString(id);
            assertThat(uuid.version()).isEqualTo(4);
            assertThat(uuid.variant()).isEqualTo(2);
            ids.add(id);
        }
        assertThat(ids).hasSize(1000);
    }
}
