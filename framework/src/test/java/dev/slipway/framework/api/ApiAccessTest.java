package dev.slipway.framework.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code --api-allowed-origin} and {@code --api-host-name}, read once and checked at start-up. */
class ApiAccessTest {
    @Test
    void originsAreStoredAsBrowsersSendThem() {
        ApiAccess access = new ApiAccess(List.of("HTTPS://Dash.Example.com:443/", "http://localhost:3000",
                "http://10.0.0.5:80"), List.of("Slipway.Example.com", "[::1]"));

        assertThat(access.allowedOrigins()).containsExactly("https://dash.example.com", "http://localhost:3000",
                "http://10.0.0.5");
        assertThat(access.extraHostNames()).containsExactly("slipway.example.com", "[::1]");
    }

    @ParameterizedTest
    @ValueSource(strings = {"dash.example.com", "http://dash.example.com/app", "ftp://dash.example.com",
            "http://user@dash.example.com", "null", "*", "http://dash.example.com?x=1"})
    void anythingButAnOriginIsRefusedNamingIt(String origin) {
        assertThatThrownBy(() -> new ApiAccess(List.of(origin), List.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("--api-allowed-origin takes an origin")
                .hasMessageContaining("'" + origin + "'");
    }

    @ParameterizedTest
    @ValueSource(strings = {"slipway.example.com:7070", "http://slipway", "", "a b"})
    void aHostNameIsANameWithoutAPort(String name) {
        assertThatThrownBy(() -> new ApiAccess(List.of(), List.of(name)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("--api-host-name takes a host name without a port");
    }
}
