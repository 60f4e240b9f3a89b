package dev.slipway.router;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * Not a test (its name keeps it out of the suite; {@code bench/route-change} runs it): how long a
 * route change takes to reach requests. Each round writes a route that points an app at the other
 * of two instances, then sends requests through the router back to back until one is answered by
 * the new instance; the time from just before the ZooKeeper write to that answer is the round's
 * latency. It includes the write itself, ZooKeeper's watch notification, the router's read of the
 * changed route, the table swap, and one request's round trip (the resolution of the measure).
 */
class RouteChangeLatencyBench {
    private static final int ROUNDS = Integer.getInteger("rounds", 100);
    /** Other apps in the table, each with a route of its own: a change must not cost more with more apps. */
    private static final int OTHER_APPS = Integer.getInteger("apps", 1000);
    private static final int WARM_UP = 20;

    @Test
    void routeChangesReachRequests() throws Exception {
        Path data = Files.createTempDirectory("slipway-route-change");
        try (RouterScenario scenario = new RouterScenario(data)) {
            AppInstance[] instances = {scenario.instance("web.1"), scenario.instance("web.2")};
            for (int other = 1; other <= OTHER_APPS; other++) {
                scenario.route("other-" + other, instances[0]);
            }
            scenario.route("bench", instances[0]);
            scenario.startRouter();
            awaitAnswerFrom(scenario, instances[0].name());
            long[] writes = new long[ROUNDS];
            long[] latencies = new long[ROUNDS];
            for (int round = -WARM_UP; round < ROUNDS; round++) {
                AppInstance next = instances[(round + WARM_UP + 1) % 2];
                long start = System.nanoTime();
                scenario.route("bench", next);
                long written = System.nanoTime();
                int requests = awaitAnswerFrom(scenario, next.name());
                long seen = System.nanoTime();
                if (round >= 0) {
                    writes[round] = written - start;
                    latencies[round] = seen - start;
                }
                if (requests == 0) {
                    throw new AssertionError("no request was sent");
                }
            }
            System.out.printf("route change to first routed request, %d changes, %d other apps: p50 %.2f ms, p99 %.2f ms, max %.2f ms"
                            + " (of which the ZooKeeper write: p50 %.2f ms, p99 %.2f ms)%n",
                    ROUNDS, OTHER_APPS, percentile(latencies, 50), percentile(latencies, 99), percentile(latencies, 100),
                    percentile(writes, 50), percentile(writes, 99));
        }
    }

    /** Sends GETs until one is answered by {@code name}; returns how many were sent. */
    private static int awaitAnswerFrom(RouterScenario scenario, String name) {
        for (int sent = 1; sent <= 100_000; sent++) {
            if (scenario.get("bench.localhost", "/").body().equals(name)) {
                return sent;
            }
        }
        throw new AssertionError("the router never routed to " + name);
    }

    private static double percentile(long[] nanos, int percentile) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        int index = Math.min(sorted.length - 1, (int) Math.ceil(percentile / 100.0 * sorted.length) - 1);
        return sorted[Math.max(0, index)] / 1e6;
    }
}
