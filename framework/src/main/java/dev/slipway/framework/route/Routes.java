package dev.slipway.framework.route;

import dev.slipway.zk.Instance;
import dev.slipway.zk.InstanceState;
import dev.slipway.zk.Route;
import java.util.Comparator;
import java.util.List;

/** The route of an app, derived from its instances: only running, healthy web instances. */
public final class Routes {
    private Routes() {
    }

    public static Route of(String app, List<String> hostnames, List<Instance> instances) {
        List<Route.Endpoint> endpoints = instances.stream()
                .filter(i -> i.app().equals(app))
                .filter(Routes::routable)
                .sorted(Comparator.comparing(Instance::index).thenComparing(Instance::taskId))
                .map(i -> new Route.Endpoint(i.host(), i.port(), i.name(), i.taskId()))
                .toList();
        return new Route(app, hostnames, endpoints);
    }

    static boolean routable(Instance instance) {
        return "web".equals(instance.process()) && instance.state() == InstanceState.RUNNING
                && instance.healthy() && instance.port() > 0;
    }
}
