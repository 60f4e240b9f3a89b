package dev.slipway.framework.deploy;

import static dev.slipway.framework.deploy.PlannerTest.NOW;
import static dev.slipway.framework.deploy.PlannerTest.release;
import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.zk.App;
import dev.slipway.zk.Instance;
import dev.slipway.zk.InstanceState;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code ps:restart} rolls a type's slots one at a time, each new instance ready before the old one stops. */
class RestartPlannerTest {
    @Test
    void aRestartedTypeStartsOneReplacementAtATimeBesideTheOldInstance() {
        AppState app = app(Map.of("web", 3), "web");
        List<Instance> old = List.of(instance(1, 0, true), instance(2, 0, true), instance(3, 0, true));

        Plan plan = Planner.plan(List.of(app), old, s -> true, NOW);

        assertThat(plan.launches()).extracting(w -> w.slot().toString()).containsExactly("hello web.1");
        assertThat(plan.launches()).extracting(Wanted::restart).containsExactly(1);
        assertThat(plan.kills()).as("the old instances serve until their successors are ready").isEmpty();
    }

    @Test
    void theOldInstanceStopsOnceItsSuccessorIsReadyAndTheNextSlotWaitsUntilItIsGone() {
        AppState app = app(Map.of("web", 2), "web");
        Instance old1 = instance(1, 0, true);
        Instance old2 = instance(2, 0, true);
        Instance starting = instance(1, 1, false);
        Instance ready = instance(1, 1, true);

        Plan whileStarting = Planner.plan(List.of(app), List.of(old1, old2, starting), s -> true, NOW);
        Plan onceReady = Planner.plan(List.of(app), List.of(old1, old2, ready), s -> true, NOW);
        Instance draining = old1.with(InstanceState.KILLING, false, "stopping", NOW);
        Plan whileDraining = Planner.plan(List.of(app), List.of(draining, old2, ready), s -> true, NOW);
        Plan afterwards = Planner.plan(List.of(app), List.of(old2, ready), s -> true, NOW);

        assertThat(whileStarting.launches()).isEmpty();
        assertThat(whileStarting.kills()).isEmpty();
        assertThat(onceReady.kills()).containsExactly(old1);
        assertThat(onceReady.launches()).as("one slot at a time").isEmpty();
        assertThat(whileDraining.launches()).isEmpty();
        assertThat(afterwards.launches()).extracting(w -> w.slot().toString()).containsExactly("hello web.2");
    }

    @Test
    void aRestartedSlotReplacesOnlyItsOwnInstance() {
        AppState app = app(Map.of("web", 2), "web.2");
        List<Instance> old = List.of(instance(1, 0, true), instance(2, 0, true));

        Plan plan = Planner.plan(List.of(app), old, s -> true, NOW);

        assertThat(plan.launches()).extracting(w -> w.slot().toString()).containsExactly("hello web.2");
        assertThat(plan.launches()).extracting(Wanted::restart).containsExactly(1);
    }

    @Test
    void anInstanceLaunchedSinceTheRestartIsKeptAndAnEmptySlotLaunchesWithoutWaiting() {
        AppState app = app(Map.of("web", 2), "web");
        Instance fresh = instance(1, 1, true);

        Plan plan = Planner.plan(List.of(app), List.of(fresh), s -> true, NOW);

        assertThat(plan.kills()).isEmpty();
        assertThat(plan.launches()).extracting(w -> w.slot().toString()).containsExactly("hello web.2");
    }

    @Test
    void aStoppedSlotsInstanceStopsAtOnceWhileItsReplacementLaunches() {
        App stopped = App.named("hello").formation(Map.of("web", 2)).release(1).createdAt(NOW).build()
                .stopped("web.2", 2);
        Instance web1 = instance(1, 0, true);
        Instance web2 = instance(2, 0, true);

        Plan plan = Planner.plan(List.of(new AppState(stopped, release(1, "web"))), List.of(web1, web2), s -> true, NOW);

        assertThat(plan.kills()).containsExactly(web2);
        assertThat(plan.launches()).extracting(w -> w.slot().toString()).containsExactly("hello web.2");
        assertThat(plan.launches()).extracting(Wanted::restart).containsExactly(1);
        Instance replacement = instance(2, 1, false);
        assertThat(Planner.plan(List.of(new AppState(stopped, release(1, "web"))), List.of(web1, replacement),
                s -> true, NOW).kills()).as("its replacement is not stopped").isEmpty();
    }

    @Test
    void aStoppedTypeStopsEachOfItsInstancesAtOnce() {
        App stopped = App.named("hello").formation(Map.of("web", 2)).release(1).createdAt(NOW).build()
                .restarted("web.1").stopped("web", 2);
        Instance web1 = instance(1, 1, true);
        Instance web2 = instance(2, 0, true);

        Plan plan = Planner.plan(List.of(new AppState(stopped, release(1, "web"))), List.of(web1, web2), s -> true, NOW);

        assertThat(plan.kills()).containsExactlyInAnyOrder(web1, web2);
        assertThat(stopped.stopOf("web", 1)).isEqualTo(2);
        assertThat(stopped.stopOf("web", 2)).isEqualTo(1);
    }

    private static AppState app(Map<String, Integer> formation, String restarted) {
        App app = App.named("hello").formation(formation).release(1).createdAt(NOW).build();
        return new AppState(app.restarted(restarted), release(1, "web"));
    }

    private static Instance instance(int index, int restart, boolean healthy) {
        return new Instance("hello.web." + index + ".v1.r" + restart, "hello", "web", index, 1, InstanceState.RUNNING,
                "agent", "127.0.0.1", 31000 + index, healthy, "", NOW, 0, 0, restart);
    }
}
