package dev.slipway.framework.deploy;

import dev.slipway.zk.Instance;
import dev.slipway.zk.InstanceState;
import dev.slipway.zk.Size;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * Compares the formation each app wants with the instances that exist, and says what to launch
 * and what to stop. Deploys roll slot by slot: an instance of an older release is stopped only
 * once the current release's instance in the same slot is ready (healthy for web), so that every
 * slot keeps serving throughout; one that has not started yet serves nothing and is stopped at once. A resized process type rolls the same way: an instance of another
 * size than its type's is replaced as one of an older release is, and so is an instance launched
 * before its slot's last restart ({@code ps:restart}), except that a restart rolls one slot of a
 * type at a time, and that one launched before its slot was stopped ({@code ps:stop}) stops at once,
 * its replacement launched meanwhile. Pure: no I/O, no clock.
 */
public final class Planner {
    private Planner() {
    }

    /**
     * How long an instance on an unreachable agent keeps its slot before a replacement is started
     * (Marathon's default {@code inactiveAfterSeconds}). Should it come back, the duplicate is stopped.
     */
    public static final Duration UNREACHABLE_GRACE = Duration.ofMinutes(5);

    /**
     * @param mayLaunch false for slots that are backing off after crashes
     * @param now       the time, to tell how long instances have been unreachable
     */
    public static Plan plan(List<AppState> apps, List<Instance> instances, Predicate<Slot> mayLaunch, Instant now) {
        Map<String, List<Instance>> live = instances.stream()
                .filter(i -> holdsSlot(i, now))
                .collect(Collectors.groupingBy(Instance::app));
        List<Wanted> launches = new ArrayList<>();
        List<Instance> kills = new ArrayList<>();
        for (AppState app : apps) {
            List<Instance> appInstances = live.getOrDefault(app.app().name(), List.of());
            if (app.release() == null) {
                kills.addAll(appInstances);
                continue;
            }
            planApp(app, appInstances, mayLaunch, launches, kills);
        }
        return new Plan(launches, kills);
    }

    private static boolean holdsSlot(Instance instance, Instant now) {
        if (instance.state() == InstanceState.UNREACHABLE) {
            return instance.updatedAt().plus(UNREACHABLE_GRACE).isAfter(now);
        }
        return !instance.state().gone();
    }

    private static void planApp(AppState app, List<Instance> instances, Predicate<Slot> mayLaunch,
                                List<Wanted> launches, List<Instance> kills) {
        int release = app.release().version();
        Predicate<Instance> current = i -> current(i, release, app.app().sizeOf(i.process()),
                app.app().restartOf(i.process(), i.index()));
        for (String type : app.release().processTypes().keySet()) {
            boolean restarting = restarting(type, instances, current);
            for (int index = 1; index <= app.wanted(type); index++) {
                Slot slot = new Slot(app.app().name(), type, index);
                boolean filled = instances.stream().anyMatch(i -> Slot.of(i).equals(slot) && current.test(i));
                boolean restart = !filled && onlyRestartStale(slot, instances, release, app);
                if (!filled && mayLaunch.test(slot) && !(restart && restarting)) {
                    launches.add(new Wanted(slot, app.release(), app.app().killGraceSeconds(),
                            app.app().sizeOf(type), app.app().restartOf(type, index)));
                    restarting |= restart;
                }
            }
        }
        for (Instance instance : instances) {
            if (instance.state() == InstanceState.KILLING) {
                continue;
            }
            boolean wantedSlot = app.release().processTypes().containsKey(instance.process())
                    && instance.index() <= app.wanted(instance.process());
            if (!wantedSlot) {
                kills.add(instance);
            } else if (!current.test(instance)) {
                // One not started yet serves nothing, and one stopped (ps:stop) is not to wait for its
                // replacement: both stop at once instead of keeping their slot.
                boolean stopped = instance.restart() < app.app().stopOf(instance.process(), instance.index());
                if (!started(instance) || stopped || successorReady(instance, current, instances)) {
                    kills.add(instance);
                }
            } else if (!isKeeper(instance, current, instances)) {
                kills.add(instance);
            }
        }
    }

    /**
     * Whether {@code instance} is what its slot wants: of {@code release} and of {@code size} (null:
     * the framework's default, which any instance launched without a size of its own has).
     */
    static boolean current(Instance instance, int release, Size size) {
        return instance.release() == release && instance.has(size);
    }

    /** Whether {@code instance} is what its slot wants, and was launched since the slot's last restart. */
    static boolean current(Instance instance, int release, Size size, int restart) {
        return current(instance, release, size) && instance.restart() >= restart;
    }

    /**
     * Whether the slot holds instances that differ from what it wants only by their restart
     * generation: a restart, which rolls one slot of a type at a time, and not a deploy or a resize.
     */
    private static boolean onlyRestartStale(Slot slot, List<Instance> instances, int release, AppState app) {
        List<Instance> held = instances.stream().filter(i -> Slot.of(i).equals(slot))
                .filter(i -> i.state() != InstanceState.KILLING).toList();
        return !held.isEmpty() && held.stream().allMatch(i -> current(i, release, app.app().sizeOf(i.process())));
    }

    /**
     * Whether a restart of {@code type} is under way in some slot: a slot that holds an instance
     * since its last restart and another from before it (still serving, or draining).
     */
    private static boolean restarting(String type, List<Instance> instances, Predicate<Instance> current) {
        Map<Integer, List<Instance>> bySlot = instances.stream().filter(i -> i.process().equals(type))
                .collect(Collectors.groupingBy(Instance::index));
        return bySlot.values().stream().anyMatch(held -> held.stream().anyMatch(current)
                && held.stream().anyMatch(i -> !current.test(i)));
    }

    private static boolean successorReady(Instance old, Predicate<Instance> current, List<Instance> instances) {
        return instances.stream().anyMatch(i -> Slot.of(i).equals(Slot.of(old)) && current.test(i) && ready(i));
    }

    /** Whether the instance's process has started (Mesos said it runs). */
    static boolean started(Instance instance) {
        return instance.state() != InstanceState.LAUNCHING && instance.state() != InstanceState.STAGING
                && instance.state() != InstanceState.STARTING;
    }

    /** Ready to take over a slot: running, and for web also healthy. */
    static boolean ready(Instance instance) {
        return instance.state() == InstanceState.RUNNING && (instance.healthy() || !"web".equals(instance.process()));
    }

    /**
     * Of several live instances of the same release in one slot (after a failover, say), the one
     * to keep: the ready one, else the oldest task id.
     */
    private static boolean isKeeper(Instance instance, Predicate<Instance> current, List<Instance> instances) {
        return instances.stream()
                .filter(i -> Slot.of(i).equals(Slot.of(instance)) && current.test(i))
                .filter(i -> i.state() != InstanceState.KILLING)
                .min(Comparator.comparing((Instance i) -> !ready(i)).thenComparing(Instance::updatedAt)
                        .thenComparing(Instance::taskId))
                .map(keeper -> keeper.taskId().equals(instance.taskId()))
                .orElse(true);
    }
}
