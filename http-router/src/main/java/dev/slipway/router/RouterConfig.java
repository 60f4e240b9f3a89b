package dev.slipway.router;

import dev.slipway.router.balance.Balance;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;

/**
 * Settings of the HTTP router, validated when built.
 *
 * @param host           the address to listen on ({@code 0.0.0.0} or {@code 127.0.0.1})
 * @param port           the port to listen on; 0 picks a free port
 * @param domain         apps answer at {@code <app>.<domain>}
 * @param connectTimeout how long to wait for a connection to an app instance
 * @param requestTimeout how long to wait for an app's response to start (Heroku's H12: 30 s)
 * @param clients        how long clients may take and how many connections one address may hold
 * @param idleTimeout    once an app's response has started, the longest it may send nothing (Heroku's H15: 55 s)
 * @param balance        how requests are spread over an app's instances
 * @param tls            the HTTPS listener, or null for none (docs/tls.md)
 * @param drain          on stop, how long requests in flight may take to finish before their connections are cut
 * @param metrics        the admin listener serving {@code GET /metrics} (Prometheus), or null for none
 * @param dataPath       how bytes move between clients and apps; null for {@link DataPath#fromSystemProperty()}
 */
public record RouterConfig(String host, int port, String domain, Duration connectTimeout, Duration requestTimeout,
                           ClientLimits clients, Duration idleTimeout, Balance balance, Tls tls, Duration drain,
                           Metrics metrics, DataPath dataPath) {
    /** Heroku's rolling window once a response has started. */
    public static final Duration IDLE_TIMEOUT = Duration.ofSeconds(55);
    /** How long a stopping router lets requests in flight finish by default. */
    public static final Duration DRAIN = Duration.ofSeconds(10);

    /**
     * The admin listener: Prometheus's text format at {@code GET /metrics}, apart from the apps' traffic
     * (docs/routing.md, "Metrics").
     *
     * @param host the address to listen on; loopback unless a scraper on another machine needs it
     * @param port the port to listen on; 0 picks a free port
     */
    public record Metrics(String host, int port) {
        public Metrics {
            if (host == null || host.isBlank()) {
                throw new IllegalArgumentException("router metrics host must be set, e.g. 127.0.0.1");
            }
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("router metrics port must be 0-65535, not " + port);
            }
        }
    }

    /**
     * The HTTPS listener: TLS 1.2 and 1.3 with SNI, each custom domain's certificate from ZooKeeper,
     * the default certificate for every other name.
     *
     * @param port        the port to listen on; 0 picks a free port
     * @param certificate the default certificate's PEM file (the platform domain's wildcard, say), or
     *                    null for a self-signed one made at start for {@code *.<domain>}
     * @param key         its private key's PEM file; given with {@code certificate} or not at all
     */
    public record Tls(int port, Path certificate, Path key) {
        public Tls {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("router HTTPS port must be 0-65535, not " + port);
            }
            if ((certificate == null) != (key == null)) {
                throw new IllegalArgumentException("the router's default certificate needs both its certificate and "
                        + "its key file, or neither (a self-signed one is made then)");
            }
        }
    }

    /**
     * What the router allows one client, as nginx's defaults (docs/routing.md).
     *
     * @param headerTimeout            the whole request head must arrive within this (nginx's client_header_timeout, 60 s)
     * @param bodyTimeout              the longest pause between two reads of a request body (client_body_timeout, 60 s)
     * @param keepAliveTimeout         how long an idle connection is kept between requests (keepalive_timeout, 75 s)
     * @param connectionsPerAddress    the most connections one client address may hold open at once
     */
    public record ClientLimits(Duration headerTimeout, Duration bodyTimeout, Duration keepAliveTimeout,
                               int connectionsPerAddress) {
        public ClientLimits {
            requirePositive("router client header timeout", headerTimeout);
            requirePositive("router client body timeout", bodyTimeout);
            requirePositive("router keep-alive timeout", keepAliveTimeout);
            if (connectionsPerAddress < 1) {
                throw new IllegalArgumentException("router connections per client address must be at least 1, not " + connectionsPerAddress);
            }
        }

        /** 60 s for a request head, 60 s between body reads, 75 s idle, 1024 connections per address. */
        public static ClientLimits defaults() {
            return new ClientLimits(Duration.ofSeconds(60), Duration.ofSeconds(60), Duration.ofSeconds(75), 1024);
        }
    }

    /** A router with {@link ClientLimits#defaults() nginx's client limits}, Heroku's 55 s idle window, least outstanding balance, plain HTTP only. */
    public RouterConfig(String host, int port, String domain, Duration connectTimeout, Duration requestTimeout) {
        this(host, port, domain, connectTimeout, requestTimeout, ClientLimits.defaults());
    }

    /** A router with Heroku's 55 s idle window and least outstanding balance, plain HTTP only. */
    public RouterConfig(String host, int port, String domain, Duration connectTimeout, Duration requestTimeout,
                        ClientLimits clients) {
        this(host, port, domain, connectTimeout, requestTimeout, clients, IDLE_TIMEOUT, Balance.LEAST_OUTSTANDING, null,
                DRAIN, null);
    }

    /** A router on the data path {@link DataPath#fromSystemProperty()} names (Vert.x's by default). */
    public RouterConfig(String host, int port, String domain, Duration connectTimeout, Duration requestTimeout,
                        ClientLimits clients, Duration idleTimeout, Balance balance, Tls tls, Duration drain,
                        Metrics metrics) {
        this(host, port, domain, connectTimeout, requestTimeout, clients, idleTimeout, balance, tls, drain, metrics, null);
    }

    public RouterConfig {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("router host must be set, e.g. 0.0.0.0 or 127.0.0.1");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("router port must be 0-65535, not " + port);
        }
        domain = normalizeDomain(domain);
        requirePositive("router connect timeout", connectTimeout);
        requirePositive("router request timeout", requestTimeout);
        if (clients == null) {
            clients = ClientLimits.defaults();
        }
        requirePositive("router idle timeout", idleTimeout);
        if (balance == null) {
            balance = Balance.LEAST_OUTSTANDING;
        }
        if (drain == null) {
            drain = DRAIN;
        }
        if (drain.isNegative()) {
            throw new IllegalArgumentException("router drain time must not be negative, not " + drain);
        }
        if (dataPath == null) {
            dataPath = DataPath.fromSystemProperty();
        }
    }

    /** This configuration with other client limits. */
    public RouterConfig withClients(ClientLimits limits) {
        return new RouterConfig(host, port, domain, connectTimeout, requestTimeout, limits, idleTimeout, balance, tls, drain, metrics, dataPath);
    }

    /** This configuration with another bound on connecting to an instance (and on waiting for a pooled connection). */
    public RouterConfig withConnectTimeout(Duration timeout) {
        return new RouterConfig(host, port, domain, timeout, requestTimeout, clients, idleTimeout, balance, tls, drain, metrics, dataPath);
    }

    /** This configuration with another idle window for responses under way. */
    public RouterConfig withIdleTimeout(Duration timeout) {
        return new RouterConfig(host, port, domain, connectTimeout, requestTimeout, clients, timeout, balance, tls, drain, metrics, dataPath);
    }

    /** This configuration with another way to spread requests. */
    public RouterConfig withBalance(Balance other) {
        return new RouterConfig(host, port, domain, connectTimeout, requestTimeout, clients, idleTimeout, other, tls, drain, metrics, dataPath);
    }

    /** This configuration with an HTTPS listener ({@code null}: none). */
    public RouterConfig withTls(Tls https) {
        return new RouterConfig(host, port, domain, connectTimeout, requestTimeout, clients, idleTimeout, balance, https, drain, metrics, dataPath);
    }

    /** This configuration with another bound on the requests in flight when the router stops. */
    public RouterConfig withDrain(Duration within) {
        return new RouterConfig(host, port, domain, connectTimeout, requestTimeout, clients, idleTimeout, balance, tls,
                within, metrics, dataPath);
    }

    /** This configuration with an admin listener for Prometheus ({@code null}: none). */
    public RouterConfig withMetrics(Metrics admin) {
        return new RouterConfig(host, port, domain, connectTimeout, requestTimeout, clients, idleTimeout, balance, tls,
                drain, admin, dataPath);
    }

    /** This configuration on another data path. */
    public RouterConfig withDataPath(DataPath path) {
        return new RouterConfig(host, port, domain, connectTimeout, requestTimeout, clients, idleTimeout, balance, tls,
                drain, metrics, path);
    }

    /** All interfaces, port 8080, apps at {@code <app>.localhost}, 5 s to connect, 30 s for a response, nginx's client limits. */
    public static RouterConfig defaults() {
        return new RouterConfig("0.0.0.0", 8080, "localhost", Duration.ofSeconds(5), Duration.ofSeconds(30));
    }

    private static String normalizeDomain(String domain) {
        String trimmed = domain == null ? "" : domain.trim().toLowerCase(Locale.ROOT);
        while (trimmed.startsWith(".")) {
            trimmed = trimmed.substring(1);
        }
        while (trimmed.endsWith(".")) {
            trimmed = trimmed.substring(0, trimmed.length() - 1);
        }
        if (trimmed.isEmpty() || trimmed.contains("/") || trimmed.contains(":")) {
            throw new IllegalArgumentException("router domain must be a DNS name such as localhost or apps.example.com, not '" + domain + "'");
        }
        return trimmed;
    }

    private static void requirePositive(String setting, Duration value) {
        if (value == null || value.isZero() || value.isNegative()) {
            throw new IllegalArgumentException(setting + " must be positive, not " + value);
        }
        if (value.toMillis() < 1) {
            throw new IllegalArgumentException(setting + " must be at least 1 ms, not " + value);
        }
    }
}
