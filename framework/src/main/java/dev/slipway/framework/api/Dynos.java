package dev.slipway.framework.api;

import dev.slipway.framework.api.Bodies.DynoBody;
import dev.slipway.framework.logs.DynoEvents;
import dev.slipway.zk.App;
import dev.slipway.zk.CrashBackoff;
import dev.slipway.zk.Instance;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What {@code GET /apps/{app}/dynos} lists: the current instance of each slot, not its history.
 * A slot shows its live instances (two during a rolling deploy); one with none shows its last
 * ended instance, unless it waits for an offer (then it is {@code pending}). A crashed slot says
 * why it ended and when it is tried again, from its crash backoff. A slot no longer in the
 * formation (scaled down) shows only while an instance of it is live, a one-off ({@code run.N})
 * only while it runs. {@code ?all=true} lists the history instead: every instance kept
 * ({@link #history}).
 */
final class Dynos {
    private static final Comparator<Instance> ORDER = Comparator.comparing(Instance::process)
            .thenComparing(Instance::index).thenComparing(Instance::release).thenComparing(Instance::updatedAt);

    private Dynos() {
    }

    static List<DynoBody> of(App app, List<Instance> instances, List<CrashBackoff> crashes, List<DynoBody> pending,
                             Instant now) {
        Map<String, CrashBackoff> backoffs = crashes.stream()
                .collect(Collectors.toMap(CrashBackoff::slot, b -> b, (a, b) -> b));
        Set<String> waiting = pending.stream().map(DynoBody::name).collect(Collectors.toSet());
        Map<String, List<Instance>> bySlot = new LinkedHashMap<>();
        instances.stream().sorted(ORDER).forEach(i -> bySlot.computeIfAbsent(i.name(), s -> new ArrayList<>()).add(i));
        List<DynoBody> rows = new ArrayList<>();
        Map<String, Boolean> shown = new HashMap<>();
        bySlot.forEach((slot, all) -> {
            List<Instance> live = all.stream().filter(i -> !i.state().gone()).toList();
            Instance first = all.get(0);
            if (!live.isEmpty()) {
                live.forEach(i -> rows.add(DynoBody.of(i)));
            } else if (!waiting.contains(slot) && first.index() <= quantity(app, first.process())) {
                Instance last = all.stream().max(Comparator.comparing(Instance::updatedAt)).orElseThrow();
                CrashBackoff backoff = backoffs.get(slot);
                rows.add(backoff != null && backoff.release() == last.release()
                        && "crashed".equals(DynoEvents.state(last)) ? crashed(last, backoff, now) : DynoBody.of(last));
            }
            shown.put(slot, true);
        });
        // A slot whose ended instance was already cleared away, still backing off.
        backoffs.values().stream()
                .filter(b -> !shown.containsKey(b.slot()) && !waiting.contains(b.slot()))
                .filter(b -> b.notBefore().isAfter(now) && b.index() <= quantity(app, b.process()))
                .sorted(Comparator.comparing(CrashBackoff::process).thenComparing(CrashBackoff::index))
                .forEach(b -> rows.add(new DynoBody(b.slot(), b.process(), "crashed", b.release(), false, "", 0, "",
                        b.lastExit(), null, b.notBefore(), secondsUntil(b.notBefore(), now))));
        rows.addAll(pending);
        return rows;
    }

    /** Every instance kept, ended ones too, oldest first within a slot; then the slots waiting for an offer. */
    static List<DynoBody> history(List<Instance> instances, List<DynoBody> pending) {
        List<DynoBody> rows = new ArrayList<>();
        instances.stream().sorted(ORDER).forEach(i -> rows.add(DynoBody.of(i)));
        rows.addAll(pending);
        return rows;
    }

    /** The {@code all} query parameter: absent, {@code false} or {@code true}; 400 otherwise. */
    static boolean all(String value) {
        if (value == null || value.isEmpty() || value.equals("false")) {
            return false;
        }
        if (value.equals("true")) {
            return true;
        }
        throw new Invalid(400, "all must be true or false, not '" + value + "'");
    }

    private static DynoBody crashed(Instance instance, CrashBackoff backoff, Instant now) {
        DynoBody body = DynoBody.of(instance);
        String why = backoff.lastExit().isEmpty() ? instance.message() : backoff.lastExit();
        return new DynoBody(body.name(), body.type(), "crashed", body.release(), false, body.host(), body.port(),
                body.taskId(), why, body.updatedAt(), backoff.notBefore(), secondsUntil(backoff.notBefore(), now));
    }

    private static long secondsUntil(Instant then, Instant now) {
        long millis = Duration.between(now, then).toMillis();
        return millis <= 0 ? 0 : (millis + 999) / 1000;
    }

    private static int quantity(App app, String process) {
        return app.formation().getOrDefault(process, "web".equals(process) ? 1 : 0);
    }
}
