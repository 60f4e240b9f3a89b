package dev.slipway.framework.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.framework.deploy.Slot;
import dev.slipway.framework.schedule.SchedulerTest.MutableClock;
import dev.slipway.zk.CrashBackoff;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The crash backoff alone, on a clock the test moves. */
class BackoffTest {
    final MutableClock clock = new MutableClock(Instant.parse("2026-12-07T00:00:00Z"));
    final SlotHistory backoff = new SlotHistory();
    final Slot web1 = new Slot("hello", "web", 1);

    @Test
    void theDelaysGrowBy115AndStopAtFiveMinutes() {
        List<Long> delays = new ArrayList<>();
        for (int crash = 0; crash < 60; crash++) {
            CrashBackoff b = backoff.failed(web1, 1, "exited with code 1");
            delays.add(Duration.between(clock.instant(), b.notBefore()).toMillis());
            clock.advance(Duration.ofSeconds(1));
        }

        // 1.15^2 is 1.3224999... in doubles: 1322 ms.
        assertThat(delays.subList(0, 5)).containsExactly(1000L, 1150L, 1322L, 1521L, 1749L);
        for (int i = 1; i < delays.size(); i++) {
            long grown = Math.round(delays.get(i - 1) * 1.15);
            assertThat(delays.get(i)).as("delay %d", i)
                    .isBetween(Math.min(300_000L, grown - 1), Math.min(300_000L, grown + 1));
        }
        assertThat(delays.get(delays.size() - 1)).isEqualTo(300_000L);
        assertThat(Backoff.delay(41)).isLessThan(Duration.ofMinutes(5));
        assertThat(Backoff.delay(42)).isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void aSlotWaitsUntilItsNextTryAndNoLonger() {
        backoff.failed(web1, 1, "exited with code 1");
        backoff.failed(web1, 1, "exited with code 1");

        assertThat(backoff.mayLaunch(web1, 1)).isFalse();
        assertThat(backoff.wait(web1)).isEqualTo(Duration.ofMillis(1150));
        assertThat(backoff.mayLaunch(new Slot("hello", "web", 2), 1)).as("another slot").isTrue();
        clock.advance(Duration.ofMillis(1149));
        assertThat(backoff.mayLaunch(web1, 1)).isFalse();
        clock.advance(Duration.ofMillis(1));
        assertThat(backoff.mayLaunch(web1, 1)).isTrue();
    }

    @Test
    void fiveReadyMinutesForgetTheCrashes() {
        for (int crash = 0; crash < 3; crash++) {
            backoff.failed(web1, 1, "exited with code 1");
        }
        assertThat(backoff.ready(web1, 1)).get().extracting(CrashBackoff::readySince).isEqualTo(clock.instant());

        clock.advance(Backoff.HEALTHY_RESET.minusMillis(1));
        assertThat(backoff.forgive()).isEmpty();
        clock.advance(Duration.ofMillis(1));
        assertThat(backoff.forgive()).containsExactly(web1);

        assertThat(backoff.failed(web1, 1, "exited with code 1").crashes()).isEqualTo(1);
    }

    @Test
    void anInstanceThatDiesWithinFiveMinutesOfBecomingReadyCountsAsAnotherCrash() {
        backoff.failed(web1, 1, "exited with code 1");
        backoff.ready(web1, 1);
        clock.advance(Duration.ofSeconds(10));

        assertThat(backoff.failed(web1, 1, "exited with code 98").crashes()).isEqualTo(2);
    }

    @Test
    void aDeathAfterFiveReadyMinutesStartsCountingAgainEvenWhenNotForgivenYet() {
        backoff.failed(web1, 1, "exited with code 1");
        backoff.failed(web1, 1, "exited with code 1");
        backoff.ready(web1, 1);
        clock.advance(Backoff.HEALTHY_RESET);

        assertThat(backoff.failed(web1, 1, "exited with code 1").crashes()).isEqualTo(1);
    }

    @Test
    void aNewReleaseLaunchesAtOnceAndStartsCountingAgain() {
        for (int crash = 0; crash < 10; crash++) {
            backoff.failed(web1, 1, "exited with code 1");
        }

        assertThat(backoff.mayLaunch(web1, 1)).isFalse();
        assertThat(backoff.mayLaunch(web1, 2)).isTrue();
        assertThat(backoff.failed(web1, 2, "exited with code 1").crashes()).isEqualTo(1);
    }

    @Test
    void theOldReleasesInstanceInARollingDeployNeitherResetsNorForgivesTheNewReleasesCrashes() {
        backoff.failed(web1, 2, "exited with code 1");
        backoff.failed(web1, 2, "exited with code 1");

        assertThat(backoff.ready(web1, 1)).as("the old release's instance passing its health check").isEmpty();
        CrashBackoff afterOldCrash = backoff.failed(web1, 1, "exited with code 137");

        assertThat(afterOldCrash.release()).isEqualTo(2);
        assertThat(afterOldCrash.crashes()).isEqualTo(2);
        assertThat(backoff.mayLaunch(web1, 2)).isFalse();
    }

    @Test
    void theStoredStateIsTakenBackAfterARestart() {
        CrashBackoff stored = backoff.failed(web1, 1, "exited with code 127");
        SlotHistory restarted = new SlotHistory();

        restarted.current.put(web1, stored);

        assertThat(restarted.mayLaunch(web1, 1)).isFalse();
        assertThat(restarted.wait(web1)).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void aLongExitReasonIsCutToKeepTheRecordSmall() {
        CrashBackoff b = backoff.failed(web1, 1, "x".repeat(10_000));

        assertThat(b.lastExit()).hasSize(CrashBackoff.MAX_EXIT_LENGTH);
    }

    /** The slots' backoffs as the model keeps them, changed through the pure functions at the clock's time. */
    final class SlotHistory {
        final Map<Slot, CrashBackoff> current = new HashMap<>();

        CrashBackoff failed(Slot slot, int release, String exit) {
            CrashBackoff next = Backoff.failed(current.get(slot), slot, release, exit, clock.instant());
            current.put(slot, next);
            return next;
        }

        Optional<CrashBackoff> ready(Slot slot, int release) {
            Optional<CrashBackoff> next = Backoff.ready(current.get(slot), release, clock.instant());
            next.ifPresent(b -> current.put(slot, b));
            return next;
        }

        List<Slot> forgive() {
            List<Slot> healed = current.entrySet().stream().filter(e -> Backoff.healed(e.getValue(), clock.instant()))
                    .map(Map.Entry::getKey).toList();
            healed.forEach(current::remove);
            return healed;
        }

        boolean mayLaunch(Slot slot, int release) {
            return Backoff.mayLaunch(current.get(slot), release, clock.instant());
        }

        Duration wait(Slot slot) {
            return Backoff.wait(current.get(slot), clock.instant());
        }
    }
}
