package dev.slipway.framework.api;

import io.vertx.core.Future;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * {@code GET /health} and {@code GET /ready}, answered by every framework instance itself (a
 * follower never forwards them), never cached, needing no ZooKeeper round trip but the follower's
 * question of who leads.
 * <ul>
 * <li>{@code /health}: the process lives and serves HTTP: always 200 {@code {"status": "alive"}}.
 *     For a supervisor deciding whether to restart the process.
 * <li>{@code /ready}: the instance can serve API calls: ZooKeeper connected and, for the leader (or
 *     the only instance), its Mesos subscription held; for a follower, a leader other than itself
 *     to forward to. 200 {@code {"status": "ok", ...}}, else 503 with {@code reasons}. For a load
 *     balancer, and for anyone waiting for Slipway to come up.
 * </ul>
 */
final class Health {
    /** The paths answered here on any instance; see {@link Forwarding} and {@link ZooKeeperGate}. */
    static final String PATHS = "/health/?|/ready/?";

    private final ZooKeeperGate zookeeper;
    private final BooleanSupplier mesosSubscribed;
    private final Standing standing;

    /** {@code standing}: null for the only framework instance. */
    Health(ZooKeeperGate zookeeper, BooleanSupplier mesosSubscribed, Standing standing) {
        this.zookeeper = zookeeper;
        this.mesosSubscribed = mesosSubscribed;
        this.standing = standing;
    }

    void mount(Router router) {
        router.get("/health").handler(this::health);
        router.get("/ready").handler(this::ready);
    }

    private void health(RoutingContext ctx) {
        Map<String, String> body = new LinkedHashMap<>();
        body.put("status", "alive");
        if (standing != null) {
            body.put("role", standing.leads() ? "leader" : "follower");
        }
        ctx.response().putHeader("Cache-Control", "no-store");
        Handlers.json(ctx, 200, body);
    }

    private void ready(RoutingContext ctx) {
        boolean leads = standing == null || standing.leads();
        boolean connected = zookeeper.connected();
        boolean subscribed = mesosSubscribed.getAsBoolean();
        Future<Optional<URI>> leader = leads || !connected ? Future.succeededFuture(Optional.empty())
                : ctx.vertx().executeBlocking(standing::leader, false);
        leader.recover(failure -> Future.succeededFuture(Optional.empty())).onSuccess(found -> {
            List<String> reasons = new ArrayList<>();
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("status", "ok");
            body.put("zookeeper", connected ? "connected" : "disconnected");
            if (!connected) {
                reasons.add("ZooKeeper is unreachable");
            }
            if (leads) {
                body.put("mesos", subscribed ? "subscribed" : "disconnected");
                if (!subscribed) {
                    reasons.add("the framework is not subscribed to Mesos (it subscribes again on its own)");
                }
            } else {
                body.put("mesos", "follower");
                boolean forwards = found.isPresent() && !found.get().equals(standing.self());
                if (forwards) {
                    body.put("leader", found.get().toString());
                } else if (connected) {
                    reasons.add("no framework instance leads at the moment (an election is under way)");
                }
            }
            if (standing != null) {
                body.put("role", leads ? "leader" : "follower");
            }
            body.put("status", reasons.isEmpty() ? "ok" : "unavailable");
            if (!reasons.isEmpty()) {
                body.put("reasons", reasons);
            }
            ctx.response().putHeader("Cache-Control", "no-store");
            Handlers.json(ctx, reasons.isEmpty() ? 200 : 503, body);
        });
    }
}
