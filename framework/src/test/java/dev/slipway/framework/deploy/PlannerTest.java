package dev.slipway.framework.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.slipway.zk.App;
import dev.slipway.zk.Instance;
import dev.slipway.zk.InstanceState;
import dev.slipway.zk.Release;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PlannerTest {
    static final Instant NOW = Instant.parse("2026-11-27T12:00:00Z");

    @Test
    void aFirstReleaseLaunchesOneWebInstanceByDefault() {
        Plan plan = Planner.plan(List.of(app("hello", Map.of(), release(1, "web", "worker"))), List.of(), s -> true, NOW);

        assertThat(plan.launches()).extracting(w -> w.slot().toString()).containsExactly("hello web.1");
        assertThat(plan.kills()).isEmpty();
    }

    @Test
    void theFormationSaysHowManyOfEachType() {
        Plan plan = Planner.plan(List.of(app("hello", Map.of("web", 2, "worker", 1), release(1, "web", "worker"))),
                List.of(), s -> true, NOW);
        assertThat(plan.launches()).extracting(w -> w.slot().toString())
                .containsExactlyInAnyOrder("hello web.1", "hello web.2", "hello worker.1");
    }

    @Test
    void nothingIsLaunchedForASlotAlreadyFilledByTheCurrentRelease() {
        Plan plan = Planner.plan(List.of(app("hello", Map.of(), release(1, "web"))),
                List.of(instance("hello", "web", 1, 1, InstanceState.STARTING, false)), s -> true, NOW);
        assertThat(plan.launches()).isEmpty();
        assertThat(plan.kills()).isEmpty();
    }

    @Test
    void anOldReleaseKeepsServingUntilTheNewOneIsHealthyInItsSlot() {
        AppState app = app("hello", Map.of(), release(2, "web"));
        Instance old = instance("hello", "web", 1, 1, InstanceState.RUNNING, true);
        Instance starting = instance("hello", "web", 1, 2, InstanceState.RUNNING, false);

        assertThat(Planner.plan(List.of(app), List.of(old), s -> true, NOW).launches()).hasSize(1);
        assertThat(Planner.plan(List.of(app), List.of(old, starting), s -> true, NOW).kills()).isEmpty();

        Instance healthy = instance("hello", "web", 1, 2, InstanceState.RUNNING, true);
        assertThat(Planner.plan(List.of(app), List.of(old, healthy), s -> true, NOW).kills()).containsExactly(old);
    }

    @Test
    void scalingDownStopsTheHighestInstances() {
        AppState app = app("hello", Map.of("web", 1), release(1, "web"));
        Instance one = instance("hello", "web", 1, 1, InstanceState.RUNNING, true);
        Instance two = instance("hello", "web", 2, 1, InstanceState.RUNNING, true);

        Plan plan = Planner.plan(List.of(app), List.of(one, two), s -> true, NOW);
        assertThat(plan.kills()).containsExactly(two);
    }

    @Test
    void instancesAlreadyStoppingAreNotStoppedTwice() {
        AppState app = app("hello", Map.of("web", 0), release(1, "web"));
        Instance stopping = instance("hello", "web", 1, 1, InstanceState.KILLING, false);
        assertThat(Planner.plan(List.of(app), List.of(stopping), s -> true, NOW).kills()).isEmpty();
    }

    @Test
    void endedInstancesAreReplaced() {
        AppState app = app("hello", Map.of(), release(1, "web"));
        Instance crashed = instance("hello", "web", 1, 1, InstanceState.FAILED, false);
        assertThat(Planner.plan(List.of(app), List.of(crashed), s -> true, NOW).launches()).hasSize(1);
    }

    @Test
    void instancesMesosDoesNotKnowAreReplaced() {
        AppState app = app("hello", Map.of(), release(1, "web"));
        Instance unknown = instance("hello", "web", 1, 1, InstanceState.UNKNOWN, false);
        assertThat(Planner.plan(List.of(app), List.of(unknown), s -> true, NOW).launches()).hasSize(1);
    }

    @Test
    void anUnreachableInstanceKeepsItsSlotForAWhileThenIsReplaced() {
        AppState app = app("hello", Map.of(), release(1, "web"));
        Instance unreachable = instance("hello", "web", 1, 1, InstanceState.UNREACHABLE, false);

        assertThat(Planner.plan(List.of(app), List.of(unreachable), s -> true, NOW.plusSeconds(60)).launches()).isEmpty();
        assertThat(Planner.plan(List.of(app), List.of(unreachable), s -> true,
                NOW.plus(Planner.UNREACHABLE_GRACE).plusSeconds(1)).launches()).hasSize(1);
    }

    @Test
    void aSlotBackingOffAfterCrashesIsNotLaunched() {
        AppState app = app("hello", Map.of(), release(1, "web"));
        assertThat(Planner.plan(List.of(app), List.of(), s -> false, NOW).launches()).isEmpty();
    }

    @Test
    void ofTwoInstancesInOneSlotTheReadyOneIsKept() {
        AppState app = app("hello", Map.of(), release(1, "web"));
        Instance ready = instance("hello", "web", 1, 1, InstanceState.RUNNING, true);
        Instance duplicate = new Instance("hello.web.1.v1.dup", "hello", "web", 1, 1, InstanceState.STARTING,
                "agent", "127.0.0.1", 31001, false, "", NOW.minusSeconds(60));

        assertThat(Planner.plan(List.of(app), List.of(ready, duplicate), s -> true, NOW).kills()).containsExactly(duplicate);
    }

    @Test
    void processTypesTheReleaseDropsAreStopped() {
        AppState app = app("hello", Map.of("worker", 1), release(2, "web"));
        Instance worker = instance("hello", "worker", 1, 1, InstanceState.RUNNING, false);
        assertThat(Planner.plan(List.of(app), List.of(worker), s -> true, NOW).kills()).containsExactly(worker);
    }

    @Test
    void anAppWithoutAReleaseRunsNothing() {
        Plan plan = Planner.plan(List.of(new AppState(App.created("empty", NOW), null)), List.of(), s -> true, NOW);
        assertThat(plan.launches()).isEmpty();
    }

    @Test
    void aLaunchCarriesItsAppsKillGraceOrNoneForTheDefault() {
        Release release = release(1, "web");
        AppState slow = new AppState(App.named("slow").release(1).createdAt(NOW).killGraceSeconds(60).build(), release);

        Plan plan = Planner.plan(List.of(slow, app("quick", Map.of(), release)), List.of(), s -> true, NOW);

        assertThat(plan.launches()).extracting(w -> w.slot().app(), Wanted::killGraceSeconds)
                .containsExactly(tuple("slow", 60), tuple("quick", null));
    }

    static AppState app(String name, Map<String, Integer> formation, Release release) {
        return new AppState(App.named(name).formation(formation).release(release.version()).createdAt(NOW).build(),
                release);
    }

    static Release release(int version, String... types) {
        Map<String, String> processTypes = new java.util.TreeMap<>();
        for (String type : types) {
            processTypes.put(type, "./" + type);
        }
        return new Release(version, "b".repeat(64), 10, processTypes, "", NOW);
    }

    static Instance instance(String app, String process, int index, int release, InstanceState state, boolean healthy) {
        return new Instance(app + "." + process + "." + index + ".v" + release + ".x", app, process, index, release,
                state, "agent", "127.0.0.1", 31000 + index, healthy, "", NOW);
    }
}
