package dev.slipway.docker;

import com.github.dockerjava.api.model.AccessMode;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.Volume;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The CA bundles this machine trusts, for its containers (builds and instances) to trust the
 * same: behind an intercepting proxy, or with a company CA, npm, curl, Maven and the apps' own
 * HTTPS clients only work with the machine's bundle; elsewhere it is the usual public one, so
 * passing it on is harmless. Never baked into an image: mounted read-only, at the same path, when
 * a container is made.
 */
public final class HostTrust {
    /** Variables naming a CA file; passed on, and the files they name mounted where they are. */
    private static final List<String> CA_FILE_VARIABLES = List.of("SSL_CERT_FILE", "NODE_EXTRA_CA_CERTS",
            "GIT_SSL_CAINFO", "CURL_CA_BUNDLE");
    /** Debian's system bundle, and the Java trust store Debian makes from it. */
    private static final List<Path> STANDARD_BUNDLES = List.of(Path.of("/etc/ssl/certs/ca-certificates.crt"),
            Path.of("/etc/ssl/certs/java/cacerts"));

    private final Map<String, String> environment;

    private HostTrust(Map<String, String> environment) {
        this.environment = Map.copyOf(environment);
    }

    /** The trust of this process's machine and environment. */
    public static HostTrust ofThisMachine() {
        return new HostTrust(System.getenv());
    }

    /** The CA variables set in the environment, to set in a container too. */
    public Map<String, String> variables() {
        Map<String, String> set = new LinkedHashMap<>();
        for (String name : CA_FILE_VARIABLES) {
            String value = environment.get(name);
            if (value != null && !value.isBlank()) {
                set.put(name, value);
            }
        }
        return set;
    }

    /** The CA files that exist here: the standard bundles and those the variables name. */
    public Set<Path> files() {
        Set<Path> files = new LinkedHashSet<>();
        for (Path bundle : STANDARD_BUNDLES) {
            if (Files.isRegularFile(bundle)) {
                files.add(bundle);
            }
        }
        variables().values().stream()
                .filter(value -> value.startsWith("/") && Files.isRegularFile(Path.of(value)))
                .forEach(value -> files.add(Path.of(value)));
        return files;
    }

    /** {@link #files()} as read-only binds at their own paths. */
    public List<Bind> binds() {
        return files().stream().map(file -> new Bind(file.toString(), new Volume(file.toString()), AccessMode.ro))
                .toList();
    }
}
