package dev.slipway.router.balance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.zk.Route.Endpoint;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class OutliersTest {
    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final Outliers outliers = new Outliers(now::get);
    private final Endpoint one = new Endpoint("127.0.0.1", 5001, "web.1", "t1");
    private final Endpoint two = new Endpoint("127.0.0.1", 5002, "web.2", "t2");
    private final Endpoint three = new Endpoint("127.0.0.1", 5003, "web.3", "t3");
    private final List<Endpoint> all = List.of(one, two, three);

    @Test
    void ejectsAnEndpointAfterThreeFailuresInARowForTenSeconds() {
        assertThat(outliers.failed(one, all)).isNull();
        assertThat(outliers.failed(one, all)).isNull();
        assertThat(outliers.failed(one, all)).isEqualTo(Duration.ofSeconds(10));
        assertThat(outliers.isEjected(one)).isTrue();

        advance(Duration.ofSeconds(10));
        assertThat(outliers.isEjected(one)).isFalse();
    }

    @Test
    void aResponseInBetweenStartsTheCountAgain() {
        outliers.failed(one, all);
        outliers.failed(one, all);
        outliers.succeeded(one);
        outliers.failed(one, all);
        outliers.failed(one, all);

        assertThat(outliers.isEjected(one)).isFalse();
    }

    @Test
    void ejectsLongerEachTimeInARowUpToThirtySeconds() {
        assertThat(ejectAgain(one)).isEqualTo(Duration.ofSeconds(10));
        advance(Duration.ofSeconds(11));
        assertThat(ejectAgain(one)).isEqualTo(Duration.ofSeconds(20));
        advance(Duration.ofSeconds(21));
        assertThat(ejectAgain(one)).isEqualTo(Duration.ofSeconds(30));
        advance(Duration.ofSeconds(31));
        assertThat(ejectAgain(one)).isEqualTo(Duration.ofSeconds(30));
        // Well behaved for longer than the longest ejection: back to the base time.
        advance(Duration.ofSeconds(30 + 31));
        assertThat(ejectAgain(one)).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void neverEjectsTheLastEndpointStanding() {
        ejectAgain(one);
        ejectAgain(two);

        assertThat(ejectAgain(three)).isNull();
        assertThat(outliers.isEjected(three)).isFalse();
        assertThat(ejectAgain(one)).isNull();
    }

    @Test
    void aBackendPassesOverEjectedEndpointsAndIgnoresEjectionsWhenAllAreEjected() {
        Backend backend = Backend.of(new dev.slipway.zk.Route("hello", List.of(), all), null);
        for (int i = 0; i < 3; i++) {
            backend.outliers().failed(two, all);
        }

        for (int i = 0; i < 6; i++) {
            assertThat(backend.choose(Balance.ROUND_ROBIN, List.of())).isNotEqualTo(two);
            assertThat(backend.choose(Balance.LEAST_OUTSTANDING, List.of())).isNotEqualTo(two);
        }
        assertThat(backend.choose(Balance.ROUND_ROBIN, List.of(one))).isEqualTo(three);
        assertThat(backend.choose(Balance.ROUND_ROBIN, List.of(one, three))).isNull();
        for (Endpoint endpoint : all) {
            for (int i = 0; i < 3; i++) {
                backend.outliers().failed(endpoint, List.of(endpoint, new Endpoint("127.0.0.1", 1, "web.9", "task-9")));
            }
        }
        assertThat(backend.choose(Balance.ROUND_ROBIN, List.of())).isIn(all);
        Backend swapped = Backend.of(new dev.slipway.zk.Route("hello", List.of(), all), backend);
        assertThat(swapped.outliers().isEjected(two)).isTrue();
    }

    private Duration ejectAgain(Endpoint endpoint) {
        Duration ejected = null;
        for (int i = 0; i < 3; i++) {
            ejected = outliers.failed(endpoint, all);
        }
        return ejected;
    }

    private void advance(Duration time) {
        now.addAndGet(time.toNanos());
    }
}
