package dev.slipway.router.balance;

import dev.slipway.zk.Route.Endpoint;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** What the balancer's per-endpoint state is kept under, across route table swaps. */
final class EndpointKey {
    private EndpointKey() {
    }

    static String of(Endpoint endpoint) {
        // The task too: a new instance that reuses a port must not inherit an ejection.
        return endpoint.taskId() + "@" + endpoint.host() + ":" + endpoint.port();
    }

    static Set<String> of(List<Endpoint> endpoints) {
        Set<String> keys = new HashSet<>();
        endpoints.forEach(endpoint -> keys.add(of(endpoint)));
        return keys;
    }
}
