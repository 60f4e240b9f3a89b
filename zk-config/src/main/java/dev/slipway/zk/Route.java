package dev.slipway.zk;

import java.util.List;
import java.util.Objects;

/**
 * What the router needs for one app: the hostnames it answers to and its healthy endpoints.
 * {@code version} orders the routes the scheduler writes, across apps: each write has a larger
 * one than every route written before it (0 for a route written before versions existed). A
 * router acknowledges the largest version in the table it serves (see {@link RouterAcks}).
 * {@code httpsOnly}: the router answers a request that reached it over plain HTTP with a redirect
 * to HTTPS instead of passing it on (the app's {@code https-only} feature; false in a route written
 * before it existed).
 */
public record Route(String app, List<String> hostnames, List<Endpoint> endpoints, long version, boolean httpsOnly) {
    public Route {
        Objects.requireNonNull(app, "app");
        hostnames = hostnames == null ? List.of() : List.copyOf(hostnames);
        endpoints = endpoints == null ? List.of() : List.copyOf(endpoints);
        if (version < 0) {
            throw new IllegalArgumentException("route version must not be negative: " + version);
        }
    }

    /** A route that serves plain HTTP too. */
    public Route(String app, List<String> hostnames, List<Endpoint> endpoints, long version) {
        this(app, hostnames, endpoints, version, false);
    }

    /** A route without a version (0) that serves plain HTTP too. */
    public Route(String app, List<String> hostnames, List<Endpoint> endpoints) {
        this(app, hostnames, endpoints, 0);
    }

    public Route withVersion(long next) {
        return new Route(app, hostnames, endpoints, next, httpsOnly);
    }

    /** The route, redirecting plain HTTP to HTTPS or not. */
    public Route withHttpsOnly(boolean only) {
        return new Route(app, hostnames, endpoints, version, only);
    }

    /**
     * Whether {@code other} routes the same hostnames to the same endpoints in the same way,
     * whatever the versions.
     */
    public boolean sameAs(Route other) {
        return other != null && app.equals(other.app()) && hostnames.equals(other.hostnames())
                && endpoints.equals(other.endpoints()) && httpsOnly == other.httpsOnly();
    }

    /** Whether the route sends requests to the task {@code taskId}. */
    public boolean routesTo(String taskId) {
        return endpoints.stream().anyMatch(e -> taskId.equals(e.taskId()));
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
