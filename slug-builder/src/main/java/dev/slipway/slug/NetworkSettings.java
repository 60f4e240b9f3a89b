package dev.slipway.slug;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a build needs from this machine to reach the package registries: its proxy settings and
 * the CA bundles it trusts. Behind an intercepting proxy, npm, curl and Maven only work with the
 * machine's own bundle; elsewhere the machine's bundle is the usual public one, so passing it on
 * is harmless. Never baked into an image: mounted read-only at build (and run) time.
 */
final class NetworkSettings {
    private static final List<String> PROXY = List.of("http_proxy", "https_proxy", "no_proxy", "HTTP_PROXY",
            "HTTPS_PROXY", "NO_PROXY");
    /** Variables naming a CA file; passed on, and the files they name mounted where they are. */
    private static final List<String> CA_FILES = List.of("SSL_CERT_FILE", "NODE_EXTRA_CA_CERTS", "GIT_SSL_CAINFO",
            "CURL_CA_BUNDLE");
    /** Debian's system bundle, and the Java trust store Debian makes from it. */
    private static final List<Path> STANDARD_BUNDLES = List.of(Path.of("/etc/ssl/certs/ca-certificates.crt"),
            Path.of("/etc/ssl/certs/java/cacerts"));

    private NetworkSettings() {
    }

    /** The proxy and CA variables set here, for the build's environment. */
    static Map<String, String> fromEnvironment() {
        Map<String, String> env = new LinkedHashMap<>();
        for (String name : concat(PROXY, CA_FILES)) {
            String value = System.getenv(name);
            if (value != null && !value.isBlank()) {
                env.put(name, value);
            }
        }
        return env;
    }

    /** The CA files of this machine to mount read-only at the same path in a build container. */
    static Set<Path> caFiles() {
        Set<Path> files = new LinkedHashSet<>();
        for (Path bundle : STANDARD_BUNDLES) {
            if (Files.isRegularFile(bundle)) {
                files.add(bundle);
            }
        }
        for (String name : CA_FILES) {
            String value = System.getenv(name);
            if (value != null && value.startsWith("/") && Files.isRegularFile(Path.of(value))) {
                files.add(Path.of(value));
            }
        }
        return files;
    }

    private static List<String> concat(List<String> a, List<String> b) {
        return java.util.stream.Stream.concat(a.stream(), b.stream()).toList();
    }
}
