package dev.slipway.mesoslocal.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The agent's garbage collector on real directories, with a clock the test moves. */
class GarbageCollectorTest {
    private static final Duration DELAY = Duration.ofHours(1);

    @TempDir
    Path dir;
    private final MovableClock clock = new MovableClock(Instant.parse("2026-12-07T12:00:00Z"));
    private GarbageCollector gc;
    private Path a;
    private Path b;

    @BeforeEach
    void sandboxes() throws Exception {
        gc = new GarbageCollector(clock, DELAY, 0.1, Runnable::run);
        a = sandbox("a");
        b = sandbox("b");
    }

    @Test
    void aScheduledSandboxIsRemovedOnceTheGcDelayHasPassedAndNotBefore() {
        gc.schedule(a);

        clock.advance(DELAY.minusSeconds(1));
        gc.collect().join();
        assertThat(a).exists();

        clock.advance(Duration.ofSeconds(1));
        gc.collect().join();
        assertThat(a).doesNotExist();
        assertThat(b).as("never scheduled").exists();
        assertThat(gc.scheduled(a)).isFalse();
    }

    @Test
    void anUnscheduledSandboxIsNotRemoved() {
        gc.schedule(a);
        assertThat(gc.unschedule(a)).isCompleted();

        clock.advance(DELAY.multipliedBy(2));
        gc.collect().join();

        assertThat(a).exists();
    }

    @Test
    void aSandboxFoundOnDiskIsDueTheGcDelayAfterItsModificationTime() {
        gc.scheduleModifiedAt(a, clock.instant().minus(Duration.ofMinutes(61)));
        gc.scheduleModifiedAt(b, clock.instant().minus(Duration.ofMinutes(50)));

        gc.collect().join();

        assertThat(a).doesNotExist();
        assertThat(b).exists();
        assertThat(gc.removalTime(b)).isEqualTo(clock.instant().plus(Duration.ofMinutes(10)));
    }

    @Test
    void diskUsageRemovesAtOnceWhatIsOlderThanTheMaxAgeItAllows() throws Exception {
        Path c = sandbox("c");
        gc.schedule(a);                                                          // 0 min old
        gc.scheduleModifiedAt(b, clock.instant().minus(Duration.ofMinutes(50))); // 50 min old
        gc.scheduleModifiedAt(c, clock.instant().minus(Duration.ofMinutes(30))); // 30 min old

        assertThat(gc.checkDiskUsage(0.2)).as("1 h * (1 - 0.1 - 0.2)").isEqualTo(Duration.ofMinutes(42));
        assertThat(b).doesNotExist();
        assertThat(c).exists();

        assertThat(gc.checkDiskUsage(0.5)).isEqualTo(Duration.ofMinutes(24));
        assertThat(c).doesNotExist();
        assertThat(a).exists();

        assertThat(gc.checkDiskUsage(0.95)).isEqualTo(Duration.ZERO);
        assertThat(a).as("a full disk keeps nothing that is scheduled").doesNotExist();
    }

    @Test
    void unschedulingWhileTheSandboxIsBeingRemovedWaitsForTheRemoval() {
        Queue<Runnable> removals = new ArrayDeque<>();
        gc = new GarbageCollector(clock, Duration.ZERO, 0.1, removals::add);
        Path framework = a.getParent();
        gc.schedule(a);
        gc.collect();

        CompletableFuture<Void> unscheduled = gc.unschedule(framework, a);

        assertThat(unscheduled).isNotDone();
        removals.remove().run();
        assertThat(unscheduled).isCompleted();
        assertThat(a).doesNotExist();
    }

    @Test
    void removalTakesReadOnlyDirectoriesAndRemovesLinksWithoutFollowingThem() throws Exception {
        Path outside = Files.writeString(dir.resolve("outside.txt"), "keep me");
        Path readOnly = Files.createDirectories(a.resolve("runs/c1/app/ro"));
        Files.writeString(readOnly.resolve("file"), "x");
        Files.setPosixFilePermissions(readOnly, PosixFilePermissions.fromString("r-x------"));
        Files.createSymbolicLink(a.resolve("runs/c1/link"), outside);
        Files.createSymbolicLink(a.resolve("runs/latest"), a.resolve("runs/c1"));
        gc.schedule(a);

        clock.advance(DELAY);
        gc.collect().join();

        assertThat(a).doesNotExist();
        assertThat(outside).hasContent("keep me");
    }

    @Test
    void theGcDelayAndHeadroomAreChecked() {
        org.assertj.core.api.Assertions.assertThatThrownBy(
                () -> new GarbageCollector(clock, Duration.ofSeconds(-1), 0.1, Runnable::run))
                .isInstanceOf(IllegalArgumentException.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new GarbageCollector(clock, DELAY, 1.5, Runnable::run))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private Path sandbox(String executorId) throws Exception {
        Path run = Files.createDirectories(dir.resolve("frameworks/f1/executors/" + executorId + "/runs/c1"));
        Files.writeString(run.resolve("stderr"), "log\n");
        Files.write(run.resolve("slipway-executor.jar"), new byte[1024]);
        return run.getParent().getParent();
    }

    private static final class MovableClock extends Clock {
        private Instant now;

        MovableClock(Instant now) {
            this.now = now;
        }

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}
