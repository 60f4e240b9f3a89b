package dev.slipway.zk;

import java.util.List;
import java.util.Objects;

/** What the router needs for one app: the hostnames it answers to and its healthy endpoints. */
public record Route(String app, List<String> hostnames, List<Endpoint> endpoints) {
    public Route {
        Objects.requireNonNull(app, "app");
        hostnames = hostnames == null ? List.of() : List.copyOf(hostnames);
        endpoints = endpoints == null ? List.of() : List.copyOf(endpoints);
    }

    /** A healthy instance the router may send requests to. */
    public record Endpoint(String host, int port, String instance, String taskId) {
        public Endpoint {
            Objects.requireNonNull(host, "host");
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("port out of range: " + port);
            }
        }
    }
}
