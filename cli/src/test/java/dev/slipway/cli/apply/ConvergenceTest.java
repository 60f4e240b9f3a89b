package dev.slipway.cli.apply;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** The runner against a platform held in memory: order, bounds and failures, without a server. */
class ConvergenceTest {
    /** Apps held in memory; {@code failing} apps fail their first step, {@code unreadable} ones cannot be read. */
    static final class InMemory implements Platform {
        final Map<String, AppState> apps = new ConcurrentHashMap<>();
        final Set<String> failing = ConcurrentHashMap.newKeySet();
        final Set<String> unreadable = ConcurrentHashMap.newKeySet();
        final List<String> log = Collections.synchronizedList(new ArrayList<>());
        final AtomicInteger running = new AtomicInteger();
        final AtomicInteger mostAtOnce = new AtomicInteger();

        @Override
        public AppState read(AppSpec spec) {
            if (unreadable.contains(spec.name())) {
                throw new IllegalStateException("the API answered 500");
            }
            return apps.getOrDefault(spec.name(), AppState.NONE);
        }

        @Override
        public void carry(AppSpec spec, Step step, Consumer<String> say) throws InterruptedException {
            int now = running.incrementAndGet();
            mostAtOnce.accumulateAndGet(now, Math::max);
            try {
                log.add("start " + spec.name() + " " + step.describe());
                Thread.sleep(20);
                if (failing.contains(spec.name())) {
                    throw new IllegalStateException("the build failed");
                }
                if (step instanceof Step.Create) {
                    apps.put(spec.name(), new AppState(true, 0, null, null, null, Map.of(), Map.of(), null));
                }
                log.add("end " + spec.name() + " " + step.describe());
            } finally {
                running.decrementAndGet();
            }
        }
    }

    static AppSpec app(String name, String... dependsOn) {
        return new AppSpec(name, null, null, null, null, null, null, null, List.of(dependsOn), null);
    }

    static AppsFile file(AppSpec... apps) {
        return new AppsFile(Path.of("apps.yaml"), 1, List.of(apps));
    }

    static List<Convergence.Outcome> converge(InMemory platform, int concurrency, AppSpec... apps) throws Exception {
        List<AppPlan> plans = Convergence.plan(file(apps), platform, concurrency);
        return Convergence.apply(plans, platform, concurrency, line -> { });
    }

    @Test
    void anAppStartsOnlyOnceTheAppsItDependsOnHaveConverged() throws Exception {
        InMemory platform = new InMemory();

        List<Convergence.Outcome> outcomes = converge(platform, 4, app("web", "api"), app("api", "db"), app("db"));

        assertThat(outcomes).extracting(Convergence.Outcome::result).containsOnly(Convergence.Result.CHANGED);
        assertThat(platform.log).containsExactly("start db create", "end db create", "start api create",
                "end api create", "start web create", "end web create");
    }

    @Test
    void noMoreAppsRunAtOnceThanTheConcurrencyAllows() throws Exception {
        InMemory platform = new InMemory();
        List<AppSpec> apps = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            apps.add(app("app-" + i));
        }

        converge(platform, 3, apps.toArray(AppSpec[]::new));

        assertThat(platform.mostAtOnce.get()).isBetween(2, 3);
        assertThat(platform.log).hasSize(24);
    }

    @Test
    void aFailureStopsOnlyThatAppAndSkipsItsDependents() throws Exception {
        InMemory platform = new InMemory();
        platform.failing.add("api");
        List<String> said = Collections.synchronizedList(new ArrayList<>());

        List<AppPlan> plans = Convergence.plan(file(app("api"), app("web", "api"), app("admin", "web"), app("docs")),
                platform, 2);
        List<Convergence.Outcome> outcomes = Convergence.apply(plans, platform, 2, said::add);

        assertThat(outcomes).containsExactly(
                new Convergence.Outcome("api", Convergence.Result.FAILED, "create: the build failed"),
                new Convergence.Outcome("web", Convergence.Result.SKIPPED, "depends on api, which failed"),
                new Convergence.Outcome("admin", Convergence.Result.SKIPPED, "depends on web, which was skipped"),
                new Convergence.Outcome("docs", Convergence.Result.CHANGED, ""));
        assertThat(said).contains("api: failed: create: the build failed", "web: skipped: depends on api, which failed");
    }

    @Test
    void anAppWhoseStateCannotBeReadFailsAndTheOthersGoOn() throws Exception {
        InMemory platform = new InMemory();
        platform.unreadable.add("api");

        List<Convergence.Outcome> outcomes = converge(platform, 2, app("api"), app("docs"));

        assertThat(outcomes.get(0).result()).isEqualTo(Convergence.Result.FAILED);
        assertThat(outcomes.get(0).detail()).isEqualTo("cannot read its state: the API answered 500");
        assertThat(outcomes.get(1).result()).isEqualTo(Convergence.Result.CHANGED);
    }

    @Test
    void appsUpToDateAreNotTouched() throws Exception {
        InMemory platform = new InMemory();
        converge(platform, 2, app("api"), app("web", "api"));
        platform.log.clear();

        List<Convergence.Outcome> again = converge(platform, 2, app("api"), app("web", "api"));

        assertThat(again).extracting(Convergence.Outcome::result).containsOnly(Convergence.Result.UP_TO_DATE);
        assertThat(platform.log).isEmpty();
    }
}
