package dev.slipway.framework.mesos;

import dev.slipway.mesos.Credential;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * How the framework presents itself to Mesos.
 *
 * @param master  the master's base URI, e.g. http://127.0.0.1:5050, or zk://host:2181/mesos to find the leader
 * @param webUiUrl shown as the framework's link in the Mesos web UI
 * @param credential the principal and secret the framework authenticates with (HTTP basic on every
 *     scheduler API request, and FrameworkInfo.principal); null for a master without framework
 *     authentication
 */
public record MesosSettings(URI master, String name, String user, String role, Duration failoverTimeout,
                            String webUiUrl, String hostname, Credential credential) {
    public MesosSettings {
        Objects.requireNonNull(master, "master");
        name = name == null || name.isBlank() ? "slipway" : name;
        user = user == null || user.isBlank() ? System.getProperty("user.name", "root") : user;
        role = role == null || role.isBlank() ? "*" : role;
        failoverTimeout = failoverTimeout == null ? Duration.ofDays(7) : failoverTimeout;
        webUiUrl = webUiUrl == null ? "" : webUiUrl;
        hostname = hostname == null ? "" : hostname;
    }

    /** Settings without a credential. */
    public MesosSettings(URI master, String name, String user, String role, Duration failoverTimeout,
                         String webUiUrl, String hostname) {
        this(master, name, user, role, failoverTimeout, webUiUrl, hostname, null);
    }

    /** The same settings, authenticating with {@code credential}. */
    public MesosSettings withCredential(Credential credential) {
        return new MesosSettings(master, name, user, role, failoverTimeout, webUiUrl, hostname, credential);
    }

    /** The principal the framework authenticates as, or "(none)". */
    public String principal() {
        return credential == null ? "(none)" : credential.principal();
    }

    /** The scheduler API of the master at {@code base}. */
    public static URI schedulerEndpoint(URI base) {
        return base.resolve("/api/v1/scheduler");
    }
}
