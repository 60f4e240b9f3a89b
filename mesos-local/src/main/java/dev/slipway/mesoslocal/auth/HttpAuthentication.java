package dev.slipway.mesoslocal.auth;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Map;

/**
 * Route handlers that authenticate a request before the endpoint sees it, answering as libprocess's
 * authenticators do (3rdparty/libprocess/src/authenticator.cpp, jwt_authenticator.cpp): 401 with a
 * {@code WWW-Authenticate} challenge for the endpoint's realm and an empty body. The authenticated
 * principal (basic) or claims (JWT) are left in the routing context for the endpoint.
 */
public final class HttpAuthentication {
    /** Realms as Mesos names them (src/master/constants.hpp, src/slave/constants.hpp). */
    public static final String MASTER_SCHEDULER_REALM = "mesos-master-scheduler";
    public static final String MASTER_READONLY_REALM = "mesos-master-readonly";
    public static final String MASTER_READWRITE_REALM = "mesos-master-readwrite";
    public static final String AGENT_READONLY_REALM = "mesos-agent-readonly";
    public static final String AGENT_EXECUTOR_REALM = "mesos-agent-executor";

    private static final String PRINCIPAL = "mesos.principal";
    private static final String CLAIMS = "mesos.claims";

    private HttpAuthentication() {
    }

    /** HTTP basic authentication against {@code credentials} (principal to secret) for {@code realm}. */
    public static Handler<RoutingContext> basic(String realm, Map<String, String> credentials) {
        Map<String, String> known = Map.copyOf(credentials);
        return ctx -> {
            String principal = basicPrincipal(ctx.request().getHeader("Authorization"), known);
            if (principal == null) {
                unauthorized(ctx, "Basic realm=\"" + realm + "\"");
                return;
            }
            ctx.put(PRINCIPAL, principal);
            ctx.next();
        };
    }

    /** Bearer JWT authentication with the agent's executor tokens. */
    public static Handler<RoutingContext> executorToken(ExecutorTokens tokens) {
        return ctx -> {
            String header = ctx.request().getHeader("Authorization");
            String challenge = "Bearer realm=\"" + AGENT_EXECUTOR_REALM + "\"";
            if (header == null) {
                // RFC 6750 3.1: no error information for a request without credentials.
                unauthorized(ctx, challenge);
                return;
            }
            String[] parts = header.split(" ");
            if (parts.length != 2) {
                unauthorized(ctx, challenge + ", error=\"invalid_token\", "
                        + "error_description=\"Malformed 'Authorization' header\"");
                return;
            }
            if (!parts[0].equals("Bearer")) {
                unauthorized(ctx, challenge + ", error=\"invalid_token\", error_description=\"Scheme '"
                        + printable(parts[0]) + "' unsupported\"");
                return;
            }
            Map<String, String> claims;
            try {
                claims = tokens.verify(parts[1]);
            } catch (ExecutorTokens.InvalidToken e) {
                unauthorized(ctx, challenge + ", error=\"invalid_token\", error_description=\"Invalid JWT: "
                        + e.getMessage() + "\"");
                return;
            }
            ctx.put(CLAIMS, claims);
            ctx.next();
        };
    }

    /** The principal the request authenticated as; null where the endpoint is not authenticated. */
    public static String principal(RoutingContext ctx) {
        return ctx.get(PRINCIPAL);
    }

    /** The claims of the executor token the request carried; null where executors are not authenticated. */
    public static Map<String, String> claims(RoutingContext ctx) {
        return ctx.get(CLAIMS);
    }

    static String basicPrincipal(String header, Map<String, String> credentials) {
        if (header == null) {
            return null;
        }
        String[] components = header.split(" ");
        if (components.length != 2 || !components[0].equals("Basic")) {
            return null;
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(components[1]), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return null;
        }
        int colon = decoded.indexOf(':');
        if (colon < 0 || decoded.indexOf(':', colon + 1) >= 0) {
            return null;
        }
        String principal = decoded.substring(0, colon);
        String secret = credentials.get(principal);
        if (secret == null || !MessageDigest.isEqual(secret.getBytes(StandardCharsets.UTF_8),
                decoded.substring(colon + 1).getBytes(StandardCharsets.UTF_8))) {
            return null;
        }
        return principal;
    }

    private static void unauthorized(RoutingContext ctx, String challenge) {
        ctx.response().setStatusCode(401).putHeader("WWW-Authenticate", challenge).end();
    }

    private static String printable(String value) {
        String cut = value.length() > 40 ? value.substring(0, 40) : value;
        return cut.replaceAll("[^\\x20-\\x7e]|\"", "?");
    }
}
