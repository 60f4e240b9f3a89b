package dev.slipway.mesoslocal.allocator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.mesoslocal.resources.Resources;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AllocatorTest {
    private static final Resources AGENT = Resources.scalar("cpus", 4).plus(Resources.scalar("mem", 4096));

    private final MovableClock clock = new MovableClock();
    private final List<String> offers = new ArrayList<>();
    private final List<Resources> offered = new ArrayList<>();
    private final Allocator allocator = new Allocator(clock, (framework, byAgent) -> byAgent.values().forEach(r -> {
        offers.add(framework);
        offered.add(r);
    }));

    @BeforeEach
    void addAgent() {
        allocator.addAgent("s0", AGENT);
    }

    @Test
    void offersEverythingAvailableToOneFrameworkAtATime() {
        allocator.addFramework("a", false);

        allocator.runOnce();
        allocator.runOnce();

        assertThat(offers).containsExactly("a");
        assertThat(offered).containsExactly(AGENT);
    }

    @Test
    void aDeclineFilterHoldsUntilRefuseSecondsPass() {
        allocator.addFramework("a", false);
        allocator.runOnce();

        allocator.recover("a", "s0", AGENT, 5);
        allocator.runOnce();
        clock.advance(Duration.ofMillis(4999));
        allocator.runOnce();
        assertThat(offers).hasSize(1);

        clock.advance(Duration.ofMillis(1));
        allocator.runOnce();
        assertThat(offers).hasSize(2);
    }

    @Test
    void aFilterDoesNotHoldBackMoreThanWhatWasRefused() {
        allocator.addFramework("a", false);
        allocator.runOnce();
        Resources half = Resources.scalar("cpus", 2).plus(Resources.scalar("mem", 2048));
        allocator.recover("a", "s0", half, 60);
        allocator.runOnce();
        assertThat(offers).hasSize(1);

        allocator.recover("a", "s0", half, 0);
        allocator.runOnce();

        assertThat(offered.get(1)).isEqualTo(AGENT);
    }

    @Test
    void suppressedFrameworksGetNothingUntilRevived() {
        allocator.addFramework("a", true);
        allocator.runOnce();
        assertThat(offers).isEmpty();

        allocator.revive("a");
        allocator.runOnce();

        assertThat(offers).containsExactly("a");
    }

    @Test
    void theFrameworkWithTheLowestDominantShareGoesFirst() {
        allocator.addFramework("a", false);
        allocator.addFramework("b", false);
        allocator.allocate("a", "s0", Resources.scalar("cpus", 1));

        allocator.runOnce();

        assertThat(offers).containsExactly("b");
    }

    @Test
    void inactiveFrameworksAreSkipped() {
        allocator.addFramework("a", false);
        allocator.deactivate("a");

        allocator.runOnce();

        assertThat(offers).isEmpty();
    }

    @Test
    void eachAgentIsOfferedOnItsOwnInOneCycle() {
        List<Map<String, Resources>> batches = new ArrayList<>();
        Allocator two = new Allocator(clock, (framework, byAgent) -> batches.add(byAgent));
        two.addAgent("s0", AGENT);
        two.addAgent("s1", AGENT);
        two.addFramework("a", false);

        two.runOnce();

        assertThat(batches).containsExactly(Map.of("s0", AGENT, "s1", AGENT));
    }

    @Test
    void aFilterHoldsBackResourcesOfItsAgentOnly() {
        List<Map<String, Resources>> batches = new ArrayList<>();
        Allocator two = new Allocator(clock, (framework, byAgent) -> batches.add(byAgent));
        two.addAgent("s0", AGENT);
        two.addAgent("s1", AGENT);
        two.addFramework("a", false);
        two.runOnce();

        two.recover("a", "s0", AGENT, 60);
        two.recover("a", "s1", AGENT, 0);
        two.runOnce();

        assertThat(batches).hasSize(2);
        assertThat(batches.get(1)).containsOnlyKeys("s1");
    }

    @Test
    void removingAFrameworkFreesWhatItHeldOnEachAgent() {
        allocator.addFramework("a", false);
        allocator.runOnce();

        allocator.removeFramework("a");

        assertThat(allocator.available("s0")).isEqualTo(AGENT);
    }

    private static final class MovableClock extends Clock {
        private Instant now = Instant.parse("2026-01-01T00:00:00Z");

        void advance(Duration duration) {
            now = now.plus(duration);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
