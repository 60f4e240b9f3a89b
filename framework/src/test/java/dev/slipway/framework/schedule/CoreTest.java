package dev.slipway.framework.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.framework.FrameworkConfig;
import dev.slipway.framework.deploy.Slot;
import dev.slipway.framework.mesos.TaskUpdate;
import dev.slipway.zk.App;
import dev.slipway.zk.Instance;
import dev.slipway.zk.InstanceState;
import dev.slipway.zk.Release;
import dev.slipway.zk.Size;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The scheduler core alone, without ZooKeeper, HTTP or a thread: given a model, when these events
 * come at these times, then these changes and effects. Each step is applied to the model as the
 * driver does once its write is stored.
 */
class CoreTest extends CoreScenario {
    @Test
    void anOfferForADeployedAppStoresTheInstanceAndThenAcceptsIt() {
        given(deployed("hello", 1), new Event.Subscribed("fw-1"));

        Step step = when(new Event.Offers(List.of(offer("o1"))));

        assertThat(step.puts().values()).singleElement().satisfies(i -> {
            assertThat(i.state()).isEqualTo(InstanceState.LAUNCHING);
            assertThat(i.name()).isEqualTo("web.1");
        });
        assertThat(step.effects(Effect.Accept.class)).singleElement().satisfies(a -> {
            assertThat(a.offerId()).isEqualTo("o1");
            assertThat(a.launches()).singleElement().extracting(l -> l.taskId())
                    .isEqualTo(step.puts().keySet().iterator().next());
        });
        assertThat(step.effects(Effect.Decline.class)).isEmpty();
    }

    @Test
    void decidingChangesNothingUntilTheStepIsApplied() {
        given(deployed("hello", 2), new Event.Subscribed("fw-1"));

        Step step = core.decide(model, new Event.Offers(List.of(offer("o1"))), now);

        assertThat(step.puts()).hasSize(2);
        assertThat(model.instances()).isEmpty();
        assertThat(model.running().byGroup(List.of())).isEmpty();
    }

    @Test
    void aHealthyUpdateChangesTheInstanceAndItsRouteInOneWriteAndIsAcknowledgedAfter() {
        String task = launched("hello");

        Step step = when(new Event.Updates(List.of(update(task, InstanceState.RUNNING, true))));

        assertThat(step.puts().get(task).healthy()).isTrue();
        assertThat(step.routes().get("hello").endpoints()).singleElement().extracting(e -> e.taskId()).isEqualTo(task);
        assertThat(step.effects()).last().isInstanceOf(Effect.Acknowledge.class);
        assertThat(step.effects(Effect.Tell.class)).extracting(Effect.Tell::line)
                .containsExactly("State changed from starting to up");
    }

    @Test
    void anAppsCustomDomainsArePublishedInItsRouteInTheStepThatReadsThem() {
        String task = launched("hello");
        given(new Event.Updates(List.of(update(task, InstanceState.RUNNING, true))));
        Event.AppRead read = read("hello", 1);

        Step added = when(new Event.AppsChanged(List.of(new Event.AppRead(
                read.app().withDomain("www.hello.example").withDomain("*.hello.example"), read.release())), List.of()));
        assertThat(added.routes().get("hello").hostnames()).containsExactly("*.hello.example", "www.hello.example");
        assertThat(added.routes().get("hello").endpoints()).hasSize(1);

        Step removed = when(new Event.AppsChanged(List.of(new Event.AppRead(
                read.app().withDomain("*.hello.example"), read.release())), List.of()));
        assertThat(removed.routes().get("hello").hostnames()).containsExactly("*.hello.example");
        assertThat(when(new Event.Tick("test")).routes()).doesNotContainKey("hello");
    }

    @Test
    void anAppsHttpsOnlyFeatureIsPublishedInItsRouteInTheStepThatReadsIt() {
        String task = launched("hello");
        given(new Event.Updates(List.of(update(task, InstanceState.RUNNING, true))));
        Event.AppRead read = read("hello", 1);
        assertThat(model.route("hello").httpsOnly()).isFalse();

        Step enabled = when(new Event.AppsChanged(List.of(new Event.AppRead(
                read.app().toBuilder().httpsOnly(true).build(), read.release())), List.of()));
        assertThat(enabled.routes().get("hello").httpsOnly()).isTrue();
        assertThat(enabled.routes().get("hello").endpoints()).hasSize(1);

        Step disabled = when(new Event.AppsChanged(List.of(read), List.of()));
        assertThat(disabled.routes().get("hello").httpsOnly()).isFalse();
        assertThat(when(new Event.Tick("test")).routes()).doesNotContainKey("hello");
    }

    @Test
    void aScaledDownInstanceLeavesTheRouteFirstAndIsKilledOnlyAfterTheDrain() {
        String task = launched("hello");
        given(new Event.Updates(List.of(update(task, InstanceState.RUNNING, true))));
        given(new Event.AppsChanged(List.of(read("hello", 0)), List.of()));

        Step stopping = when(new Event.Tick("test"));
        assertThat(stopping.puts().get(task).state()).isEqualTo(InstanceState.KILLING);
        assertThat(stopping.routes().get("hello").endpoints()).isEmpty();
        assertThat(stopping.effects(Effect.Kill.class)).isEmpty();

        now = now.plus(java.time.Duration.ofSeconds(1));
        assertThat(when(new Event.Tick("test")).effects(Effect.Kill.class)).singleElement()
                .satisfies(k -> assertThat(k.taskId()).isEqualTo(task));
        assertThat(when(new Event.Tick("test")).effects(Effect.Kill.class)).as("not again before the retry").isEmpty();
    }

    @Test
    void aStoppedInstanceIsKilledOnlyOnceEveryRouterHasAcknowledgedARouteWithoutIt() {
        String task = launched("hello");
        given(new Event.RoutersAcked(Map.of("router-a", 0L, "router-b", 0L)));
        given(new Event.Updates(List.of(update(task, InstanceState.RUNNING, true))));
        given(new Event.RoutersAcked(Map.of("router-a", model.routeVersion(), "router-b", model.routeVersion())));
        given(new Event.AppsChanged(List.of(read("hello", 0)), List.of()));

        Step stopping = when(new Event.Tick("test"));
        long without = stopping.routes().get("hello").version();
        assertThat(stopping.routes().get("hello").endpoints()).isEmpty();
        now = now.plusSeconds(1);
        assertThat(when(new Event.Tick("test")).effects(Effect.Kill.class)).as("no router has the new route").isEmpty();

        Step oneAcked = when(new Event.RoutersAcked(Map.of("router-a", without, "router-b", without - 1)));
        assertThat(oneAcked.effects(Effect.Kill.class)).as("router-b still routes to it").isEmpty();
        assertThat(when(new Event.Tick("test")).effects(Effect.Kill.class)).isEmpty();

        Step bothAcked = when(new Event.RoutersAcked(Map.of("router-a", without + 5, "router-b", without)));
        assertThat(bothAcked.effects(Effect.Kill.class)).singleElement()
                .satisfies(k -> assertThat(k.taskId()).isEqualTo(task));
    }

    @Test
    void aRouterThatNeverAcknowledgesHoldsTheKillUntilTheDrainTimeoutOnly() {
        String task = launched("hello");
        given(new Event.Updates(List.of(update(task, InstanceState.RUNNING, true))));
        given(new Event.RoutersAcked(Map.of("router-a", model.routeVersion())));
        given(new Event.AppsChanged(List.of(read("hello", 0)), List.of()));
        given(new Event.Tick("test"));

        now = now.plus(FrameworkConfig.Resources.DEFAULT_DRAIN_TIMEOUT_SECONDS - 1, java.time.temporal.ChronoUnit.SECONDS);
        assertThat(when(new Event.Tick("test")).effects(Effect.Kill.class)).isEmpty();
        now = now.plusSeconds(1);
        assertThat(when(new Event.Tick("test")).effects(Effect.Kill.class)).singleElement()
                .satisfies(k -> assertThat(k.taskId()).isEqualTo(task));
    }

    @Test
    void withNoRouterRunningAStoppedInstanceIsKilledAsSoonAsItsRouteIsStored() {
        String task = launched("hello");
        given(new Event.Updates(List.of(update(task, InstanceState.RUNNING, true))));
        given(new Event.AppsChanged(List.of(read("hello", 0)), List.of()));

        Step stopping = when(new Event.Tick("test"));
        assertThat(stopping.effects(Effect.Kill.class)).as("its route without it is not stored yet").isEmpty();
        assertThat(when(new Event.Tick("test")).effects(Effect.Kill.class)).singleElement()
                .satisfies(k -> assertThat(k.taskId()).isEqualTo(task));
    }

    @Test
    void routesWrittenTogetherAreVersionedInTheOrderTheyAreWrittenAboveEveryEarlierOne() {
        String hello = launched("hello");
        String other = launched("other");
        Step healthy = when(new Event.Updates(List.of(update(other, InstanceState.RUNNING, true),
                update(hello, InstanceState.RUNNING, true))));

        long helloVersion = healthy.routes().get("hello").version();
        long otherVersion = healthy.routes().get("other").version();
        assertThat(helloVersion).isGreaterThanOrEqualTo(now.toEpochMilli());
        assertThat(otherVersion).isEqualTo(helloVersion + 1);
        given(new Event.AppsChanged(List.of(read("hello", 0)), List.of()));
        assertThat(when(new Event.Tick("test")).routes().get("hello").version()).isGreaterThan(otherVersion);
    }

    @Test
    void aCrashIsSavedAndTheSlotWaitsItsBackoffBeforeTheNextLaunch() {
        String task = launched("hello");

        Step crash = when(new Event.Updates(List.of(new TaskUpdate(task, "agent-1", InstanceState.FAILED, null,
                "exited with code 1", "", "SOURCE_EXECUTOR", new byte[] {1}))));

        assertThat(crash.effects(Effect.SaveCrash.class)).singleElement().satisfies(c ->
                assertThat(c.backoff().notBefore()).isEqualTo(now.plusSeconds(1)));
        assertThat(when(new Event.Offers(List.of(offer("o2")))).effects(Effect.Accept.class)).isEmpty();
        now = now.plusSeconds(1);
        assertThat(when(new Event.Offers(List.of(offer("o3")))).effects(Effect.Accept.class)).hasSize(1);
    }

    @Test
    void aResizedProcessTypeStartsItsCrashCountAnew() {
        String task = launched("hello");
        given(new Event.Updates(List.of(new TaskUpdate(task, "agent-1", InstanceState.FAILED, null,
                "out of memory", "", "SOURCE_EXECUTOR", new byte[] {1}))));
        assertThat(model.crashes()).hasSize(1);
        Event.AppRead resized = read("hello", 1);
        App larger = resized.app().withSize("web", new Size("xlarge", 1, 2048));

        Step step = when(new Event.AppsChanged(List.of(new Event.AppRead(larger, resized.release())), List.of()));

        assertThat(step.effects(Effect.ForgetCrash.class)).singleElement()
                .satisfies(f -> assertThat(f.slot()).isEqualTo("web.1"));
        assertThat(model.crashes()).isEmpty();
    }

    @Test
    void aLaunchMesosNeverReportsIsLostAfterTheTimeoutAndCountsAsACrash() {
        String task = launched("hello");
        now = now.plus(Core.LAUNCH_TIMEOUT).plusSeconds(1);

        Step step = when(new Event.Tick("test"));

        assertThat(step.puts().get(task).state()).isEqualTo(InstanceState.LOST);
        assertThat(step.effects(Effect.SaveCrash.class)).hasSize(1);
    }

    @Test
    void reconciliationAsksAgainWithAGrowingWaitUntilAnsweredThenImplicitly() {
        String task = launched("hello");

        Step subscribed = when(new Event.Subscribed("fw-2"));
        assertThat(subscribed.effects(Effect.Reconcile.class)).singleElement().satisfies(r ->
                assertThat(r.tasks()).extracting(t -> t.taskId()).containsExactly(task));

        List<Instant> asked = new ArrayList<>();
        for (int second = 0; second <= 40; second++) {
            Step tick = when(new Event.Tick("test"));
            if (!tick.effects(Effect.Reconcile.class).isEmpty()) {
                asked.add(now);
            }
            now = now.plusSeconds(1);
        }
        Instant start = now.minusSeconds(41);
        assertThat(asked).containsExactly(start.plusSeconds(5), start.plusSeconds(15), start.plusSeconds(35));

        given(new Event.Updates(List.of(update(task, InstanceState.RUNNING, true))));
        assertThat(when(new Event.Tick("test")).effects(Effect.Reconcile.class)).singleElement()
                .satisfies(r -> assertThat(r.tasks()).as("implicit").isEmpty());
    }

    @Test
    void updatesHandledTogetherAreOneWriteAndEachIsAcknowledgedAfterIt() {
        given(deployed("hello", 3), new Event.Subscribed("fw-1"));
        List<String> tasks = List.copyOf(when(new Event.Offers(List.of(offer("o1")))).puts().keySet());

        Step step = when(new Event.Updates(tasks.stream().map(t -> update(t, InstanceState.RUNNING, true)).toList()));

        assertThat(step.puts()).hasSize(3);
        assertThat(step.routes().get("hello").endpoints()).hasSize(3);
        assertThat(step.effects(Effect.Acknowledge.class)).extracting(Effect.Acknowledge::taskId)
                .containsExactlyElementsOf(tasks);
    }

    @Test
    void eachAgentsExecutorIsToldOnlyOfTheLiveTasksOnItsHost() throws Exception {
        given(deployed("hello", 2), new Event.Subscribed("fw-1"));
        Step placed = when(new Event.Offers(List.of(offer("o1", "agent-1"), offer("o2", "agent-2"))));
        List<Instance> launched = List.copyOf(placed.puts().values());
        given(new Event.Updates(launched.stream()
                .map(i -> new TaskUpdate(i.taskId(), i.agentId(), InstanceState.RUNNING, true, "", "", "SOURCE_EXECUTOR",
                        new byte[] {1})).toList()));
        now = now.plus(OrphanSweep.INTERVAL);

        List<Effect.Message> sweep = when(new Event.Tick("test")).effects(Effect.Message.class);

        assertThat(sweep).hasSize(2);
        for (Effect.Message message : sweep) {
            Instance own = launched.stream().filter(i -> i.agentId().equals(message.agentId())).findFirst().orElseThrow();
            assertThat(message.executorId()).isEqualTo(own.taskId());
            assertThat(dev.slipway.zk.Json.mapper().readTree(message.data()).get("live_task_ids"))
                    .extracting(n -> n.asText()).containsExactly(own.taskId());
        }
    }

    @Test
    void aTaskSlipwayDoesNotKnowIsKilledAndAcknowledged() {
        Step step = when(new Event.Updates(List.of(update("stranger.web.1.v1.x", InstanceState.RUNNING, null))));

        assertThat(step.effects()).hasSize(2);
        assertThat(step.effects().get(0)).isEqualTo(new Effect.Kill("stranger.web.1.v1.x", "agent-1", null));
        assertThat(step.effects().get(1)).isInstanceOf(Effect.Acknowledge.class);
        assertThat(step.writes()).isFalse();
    }

    @Test
    void theModelIndexesInstancesByApp() {
        launched("hello");
        launched("other");

        assertThat(model.instancesOf("hello")).extracting(Instance::app).containsExactly("hello");
        assertThat(model.instancesOf("other")).extracting(Instance::app).containsExactly("other");
        assertThat(model.instancesOf("nobody")).isEmpty();
    }

    @Test
    void aDeletedAppForgetsItsCrashesAndItsInstancesAreNotReplaced() {
        String task = launched("hello");
        given(new Event.Updates(List.of(new TaskUpdate(task, "agent-1", InstanceState.FAILED, null, "exited with code 1", "",
                "SOURCE_EXECUTOR", new byte[] {1}))));
        assertThat(model.crashes()).containsKey(new Slot("hello", "web", 1));

        given(new Event.AppsChanged(List.of(), List.of("hello")));

        assertThat(model.crashes()).isEmpty();
        now = now.plusSeconds(5);
        assertThat(when(new Event.Offers(List.of(offer("o9")))).effects(Effect.Accept.class)).isEmpty();
    }

    @Test
    void aRestartStartsANewInstanceBesideTheOldOneWhichStopsOnlyOnceTheNewOneIsHealthy() {
        String old = launched("hello");
        given(new Event.Updates(List.of(update(old, InstanceState.RUNNING, true))));
        App restarted = App.named("hello").formation(Map.of("web", 1)).release(1).createdAt(now).build()
                .restarted("web");
        given(new Event.AppsChanged(List.of(new Event.AppRead(restarted, read("hello", 1).release())), List.of()));

        Step launch = when(new Event.Offers(List.of(offer("o2"))));
        String fresh = launch.puts().keySet().iterator().next();
        assertThat(launch.puts().get(fresh).restart()).isEqualTo(1);
        assertThat(when(new Event.Tick("test")).puts()).as("the old instance serves on").isEmpty();

        given(new Event.Updates(List.of(update(fresh, InstanceState.RUNNING, true))));
        Step stopping = when(new Event.Tick("test"));

        assertThat(stopping.puts().get(old).state()).isEqualTo(InstanceState.KILLING);
        assertThat(stopping.routes().get("hello").endpoints()).extracting(e -> e.taskId()).containsExactly(fresh);
    }

    @Test
    void aRestartUnderWayGoesOnInAModelLoadedAnewFromWhatWasStored() {
        String old = launched("hello");
        given(new Event.Updates(List.of(update(old, InstanceState.RUNNING, true))));
        App restarted = App.named("hello").formation(Map.of("web", 1)).release(1).createdAt(now).build()
                .restarted("web");
        given(new Event.AppsChanged(List.of(new Event.AppRead(restarted, read("hello", 1).release())), List.of()));
        Instance stored = model.instance(old);

        model = new Model();
        given(new Event.AppsChanged(List.of(new Event.AppRead(restarted, read("hello", 1).release())), List.of()));
        // The instance as the new leader reads it from ZooKeeper.
        model.apply(new Step(Map.of(old, stored), java.util.Set.of(), Map.of(), Map.of(), java.util.Set.of(),
                Map.of(), java.util.Set.of(), List.of(), List.of(), List.of(), model.flags(), null, List.of(), List.of(),
                List.of()),
                Map.of(old, 1));
        Step launch = when(new Event.Offers(List.of(offer("o3"))));

        assertThat(launch.puts().values()).singleElement()
                .satisfies(i -> assertThat(i.restart()).isEqualTo(1));
    }

    @Test
    void aDestroyedAppsInstancesLeaveTheRoutesAreKilledAndAreForgottenOnceEnded() {
        String task = launched("hello");
        given(new Event.Updates(List.of(update(task, InstanceState.RUNNING, true))));

        Step deleted = when(new Event.AppsChanged(List.of(), List.of("hello")));
        assertThat(deleted.puts().get(task).state()).isEqualTo(InstanceState.KILLING);
        assertThat(deleted.routes().get("hello").endpoints()).isEmpty();

        now = now.plus(java.time.Duration.ofSeconds(1));
        assertThat(when(new Event.Tick("test")).effects(Effect.Kill.class)).singleElement()
                .satisfies(k -> assertThat(k.taskId()).isEqualTo(task));
        given(new Event.Updates(List.of(update(task, InstanceState.KILLED, false))));
        Step forgotten = when(new Event.Tick("test"));

        assertThat(forgotten.deletes()).containsExactly(task);
        assertThat(model.instances()).isEmpty();
    }

    // ---- Given, when.

    private String launched(String app) {
        given(deployed(app, 1), new Event.Subscribed("fw-1"));
        Step step = when(new Event.Offers(List.of(offer("o-" + app))));
        return step.puts().keySet().iterator().next();
    }

    private Event deployed(String app, int web) {
        return new Event.AppsChanged(List.of(read(app, web)), List.of());
    }

    private Event.AppRead read(String app, int web) {
        return new Event.AppRead(App.named(app).formation(Map.of("web", web)).release(1).createdAt(now).build(),
                new Release(1, "c".repeat(64), 10, Map.of("web", "./web"), "", now));
    }

    private static TaskUpdate update(String task, InstanceState state, Boolean healthy) {
        return new TaskUpdate(task, "agent-1", state, healthy, "", "", "SOURCE_EXECUTOR", new byte[] {1, 2, 3});
    }
}
