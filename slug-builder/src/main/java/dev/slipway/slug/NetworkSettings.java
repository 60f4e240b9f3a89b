package dev.slipway.slug;

import dev.slipway.docker.HostTrust;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a build needs from this machine to reach the package registries: its proxy settings and
 * the CA bundles it trusts ({@link HostTrust}, mounted read-only into build containers).
 */
final class NetworkSettings {
    private static final List<String> PROXY = List.of("http_proxy", "https_proxy", "no_proxy", "HTTP_PROXY",
            "HTTPS_PROXY", "NO_PROXY");

    private NetworkSettings() {
    }

    /** The proxy and CA variables set here, for the build's environment. */
    static Map<String, String> fromEnvironment() {
        Map<String, String> env = new LinkedHashMap<>();
        for (String name : PROXY) {
            String value = System.getenv(name);
            if (value != null && !value.isBlank()) {
                env.put(name, value);
            }
        }
        env.putAll(HostTrust.ofThisMachine().variables());
        return env;
    }
}
