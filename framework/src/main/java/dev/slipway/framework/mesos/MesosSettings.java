package dev.slipway.framework.mesos;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * How the framework presents itself to Mesos.
 *
 * @param master  the master's base URI, e.g. http://127.0.0.1:5050, or zk://host:2181/mesos to find the leader
 * @param webUiUrl shown as the framework's link in the Mesos web UI
 */
public record MesosSettings(URI master, String name, String user, String role, Duration failoverTimeout,
                            String webUiUrl, String hostname) {
    public MesosSettings {
        Objects.requireNonNull(master, "master");
        name = name == null || name.isBlank() ? "slipway" : name;
        user = user == null || user.isBlank() ? System.getProperty("user.name", "root") : user;
        role = role == null || role.isBlank() ? "*" : role;
        failoverTimeout = failoverTimeout == null ? Duration.ofDays(7) : failoverTimeout;
        webUiUrl = webUiUrl == null ? "" : webUiUrl;
        hostname = hostname == null ? "" : hostname;
    }

    /** The scheduler API of the master at {@code base}. */
    public static URI schedulerEndpoint(URI base) {
        return base.resolve("/api/v1/scheduler");
    }
}
