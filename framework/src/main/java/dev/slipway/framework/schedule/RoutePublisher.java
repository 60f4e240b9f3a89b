package dev.slipway.framework.schedule;

import dev.slipway.framework.route.Routes;
import dev.slipway.zk.Instance;
import dev.slipway.zk.Route;
import dev.slipway.zk.RouteStore;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Writes each app's route to ZooKeeper when, and only when, it changed. Scheduler thread only. */
public final class RoutePublisher {
    private static final Logger LOG = LoggerFactory.getLogger(RoutePublisher.class);

    private final RouteStore store;
    private final Map<String, Route> published = new HashMap<>();

    public RoutePublisher(RouteStore store) {
        this.store = store;
    }

    void publish(String app, List<Instance> instances) {
        Route route = Routes.of(app, List.of(), instances);
        if (!route.equals(published.get(app))) {
            store.put(route);
            published.put(app, route);
            LOG.info("route of {}: {} healthy endpoint(s)", app, route.endpoints().size());
        }
    }

    void publishAll(List<String> apps, List<Instance> instances) {
        for (String app : apps) {
            publish(app, instances);
        }
    }
}
