package dev.slipway.router.balance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.zk.Route;
import dev.slipway.zk.Route.Endpoint;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** How Backend spreads requests: least outstanding of two random choices, round robin, quarantine. */
class BalanceTest {
    private final Endpoint fast1 = new Endpoint("127.0.0.1", 1001, "web.1", "task-1");
    private final Endpoint fast2 = new Endpoint("127.0.0.1", 1002, "web.2", "task-2");
    private final Endpoint slow = new Endpoint("127.0.0.1", 1003, "web.3", "task-3");
    private final List<Endpoint> all = List.of(fast1, fast2, slow);

    /**
     * Requests arrive one per tick; an instance answers in 1 tick, except web.3 which takes 20. With
     * least outstanding, requests pile up less on the slow instance: it gets far fewer than a third.
     */
    @Test
    void aSlowEndpointGetsFewerRequestsThanTheOthersWithLeastOutstanding() {
        Map<Endpoint, Integer> given = simulate(Balance.LEAST_OUTSTANDING, 3_000);

        assertThat(given.get(slow)).isLessThan(given.get(fast1) / 3).isLessThan(given.get(fast2) / 3);
        assertThat(given.get(fast1) + given.get(fast2) + given.get(slow)).isEqualTo(3_000);
    }

    @Test
    void roundRobinGivesEveryEndpointItsTurnHoweverSlow() {
        Map<Endpoint, Integer> given = simulate(Balance.ROUND_ROBIN, 3_000);

        assertThat(given).containsEntry(fast1, 1_000).containsEntry(fast2, 1_000).containsEntry(slow, 1_000);
    }

    @Test
    void requestsOneAfterTheOtherAlternateWithLeastOutstanding() {
        Backend backend = Backend.of(new Route("hello", List.of(), List.of(fast1, fast2)), null, new SplittableRandom(7));
        List<Endpoint> picked = new java.util.ArrayList<>();
        for (int i = 0; i < 6; i++) {
            Endpoint endpoint = backend.choose(Balance.LEAST_OUTSTANDING, List.of());
            backend.take(endpoint).release();
            picked.add(endpoint);
        }

        assertThat(picked).filteredOn(fast1::equals).hasSize(3);
        assertThat(picked).filteredOn(fast2::equals).hasSize(3);
    }

    @Test
    void aQuarantinedEndpointIsPassedOverUnlessNothingElseIsLeftAndComesBackAfterFiveSeconds() {
        long[] now = {0};
        Backend quarantining = Backend.fresh(new Route("hello", List.of(), List.of(fast1, slow)), new SplittableRandom(1),
                () -> now[0]);
        Quarantine quarantine = quarantining.quarantine();
        quarantine.add(slow);

        for (int i = 0; i < 10; i++) {
            assertThat(quarantining.choose(Balance.LEAST_OUTSTANDING, List.of())).isEqualTo(fast1);
        }
        // A retry never goes to it; a first attempt does when everything else is tried or quarantined too.
        assertThat(quarantining.choose(Balance.ROUND_ROBIN, List.of(fast1))).isNull();
        quarantine.add(fast1);
        assertThat(quarantining.choose(Balance.ROUND_ROBIN, List.of())).isIn(fast1, slow);

        now[0] += Quarantine.TIME.toNanos() + 1;
        assertThat(quarantine.contains(slow)).isFalse();
        assertThat(quarantining.choose(Balance.ROUND_ROBIN, List.of(fast1))).isEqualTo(slow);
    }

    @Test
    void aQuarantineOutlivesATableSwapForTheEndpointsThatStay() {
        Backend first = Backend.of(new Route("hello", List.of(), List.of(fast1, slow)), null);
        first.quarantine().add(slow);

        Backend second = Backend.of(new Route("hello", List.of(), List.of(fast1, slow, fast2)), first);
        assertThat(second.quarantine().contains(slow)).isTrue();

        Backend third = Backend.of(new Route("hello", List.of(), List.of(fast1)), second);
        assertThat(Backend.of(new Route("hello", List.of(), List.of(fast1, slow)), third).quarantine().contains(slow)).isFalse();
    }

    private Map<Endpoint, Integer> simulate(Balance balance, int requests) {
        Backend backend = Backend.of(new Route("hello", List.of(), all), null, new SplittableRandom(42));
        Map<Endpoint, Integer> given = new HashMap<>();
        Deque<long[]> inFlight = new ArrayDeque<>();
        Map<Long, Lease> leases = new HashMap<>();
        for (long tick = 0; tick < requests; tick++) {
            final long now = tick;
            inFlight.removeIf(request -> {
                if (request[1] <= now) {
                    leases.remove(request[0]).release();
                    return true;
                }
                return false;
            });
            Endpoint endpoint = backend.choose(balance, List.of());
            given.merge(endpoint, 1, Integer::sum);
            leases.put(tick, backend.take(endpoint));
            inFlight.add(new long[] {tick, tick + (endpoint.equals(slow) ? 20 : 1)});
        }
        return given;
    }
}
