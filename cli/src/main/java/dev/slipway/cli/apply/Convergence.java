package dev.slipway.cli.apply;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;

/**
 * Plans and applies an apps file: each app's state read and its plan made (in parallel), then the
 * plans carried out with at most {@code concurrency} apps at a time, each app only once every app
 * it depends on has converged. One app's failure stops only that app and the apps that depend on
 * it (skipped, and said so).
 */
public final class Convergence {
    /** How one app ended. */
    public enum Result { UP_TO_DATE, CHANGED, FAILED, SKIPPED }

    /** One app's end: {@code detail} says why it failed or was skipped. */
    public record Outcome(String app, Result result, String detail) {
    }

    private Convergence() {
    }

    /** Every app's plan, in the file's order; an app whose state could not be read has a plan with its error. */
    public static List<AppPlan> plan(AppsFile file, Platform platform, int concurrency) throws InterruptedException {
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, concurrency), daemon("slipway-apply-read"));
        try {
            List<Future<AppPlan>> reads = new ArrayList<>();
            for (AppSpec spec : file.apps()) {
                reads.add(pool.submit(() -> planOne(spec, platform)));
            }
            List<AppPlan> plans = new ArrayList<>();
            for (int i = 0; i < reads.size(); i++) {
                try {
                    plans.add(reads.get(i).get());
                } catch (ExecutionException e) {
                    plans.add(AppPlan.failed(file.apps().get(i), message(e.getCause())));
                }
            }
            return plans;
        } finally {
            pool.shutdownNow();
        }
    }

    private static AppPlan planOne(AppSpec spec, Platform platform) {
        try {
            String checksum = spec.source() == null ? null : SourceChecksum.of(spec.source());
            return Planner.plan(spec, platform.read(spec), checksum);
        } catch (RuntimeException e) {
            return AppPlan.failed(spec, "cannot read its state: " + message(e));
        }
    }

    /**
     * Carries out the plans in dependency order, {@code concurrency} apps at a time, and returns
     * each app's outcome in the plans' order. {@code say} gets one line at a time, from any thread.
     */
    public static List<Outcome> apply(List<AppPlan> plans, Platform platform, int concurrency, Consumer<String> say)
            throws InterruptedException {
        Map<String, AppPlan> byName = new LinkedHashMap<>();
        plans.forEach(plan -> byName.put(plan.name(), plan));
        Map<String, Outcome> done = new LinkedHashMap<>();
        Set<String> started = new HashSet<>();
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, concurrency), daemon("slipway-apply"));
        ExecutorCompletionService<Outcome> running = new ExecutorCompletionService<>(pool);
        try {
            while (done.size() < byName.size()) {
                boolean progressed = true;
                while (progressed) {
                    progressed = false;
                    for (AppPlan plan : byName.values()) {
                        if (started.contains(plan.name())) {
                            continue;
                        }
                        Outcome ready = readiness(plan, done);
                        if (ready == null) {
                            continue;
                        }
                        started.add(plan.name());
                        progressed = true;
                        if (ready.result() == null) {
                            running.submit(converge(plan, platform, say));
                        } else {
                            if (ready.result() == Result.SKIPPED) {
                                say.accept(plan.name() + ": skipped: " + ready.detail());
                            }
                            done.put(plan.name(), ready);
                        }
                    }
                }
                if (done.size() == byName.size()) {
                    break;
                }
                Outcome next;
                try {
                    next = running.take().get();
                } catch (ExecutionException e) {
                    throw new IllegalStateException("an app's convergence failed unexpectedly", e.getCause());
                }
                done.put(next.app(), next);
            }
        } finally {
            pool.shutdownNow();
        }
        List<Outcome> outcomes = new ArrayList<>();
        byName.keySet().forEach(name -> outcomes.add(done.get(name)));
        return outcomes;
    }

    /**
     * Whether a plan can go: null while a dependency has not ended; an outcome with a null result
     * to run it; its outcome when it needs no run (up to date, failed to plan, skipped).
     */
    private static Outcome readiness(AppPlan plan, Map<String, Outcome> done) {
        for (String dependency : plan.spec().dependsOn()) {
            Outcome ended = done.get(dependency);
            if (ended == null) {
                return null;
            }
            if (ended.result() == Result.FAILED || ended.result() == Result.SKIPPED) {
                return new Outcome(plan.name(), Result.SKIPPED, "depends on " + dependency + ", which "
                        + (ended.result() == Result.FAILED ? "failed" : "was skipped"));
            }
        }
        if (plan.error() != null) {
            return new Outcome(plan.name(), Result.FAILED, plan.error());
        }
        if (plan.upToDate()) {
            return new Outcome(plan.name(), Result.UP_TO_DATE, "");
        }
        return new Outcome(plan.name(), null, "");
    }

    private static Callable<Outcome> converge(AppPlan plan, Platform platform, Consumer<String> say) {
        return () -> {
            String name = plan.name();
            Consumer<String> sayApp = line -> say.accept(name + ": " + line);
            for (Step step : plan.steps()) {
                sayApp.accept(step.describe() + "...");
                try {
                    platform.carry(plan.spec(), step, sayApp);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return new Outcome(name, Result.FAILED, "interrupted at: " + step.describe());
                } catch (RuntimeException e) {
                    String why = step.describe() + ": " + message(e);
                    sayApp.accept("failed: " + why);
                    return new Outcome(name, Result.FAILED, why);
                }
            }
            sayApp.accept("converged (" + plan.steps().size() + (plan.steps().size() == 1 ? " change)" : " changes)"));
            return new Outcome(name, Result.CHANGED, "");
        };
    }

    private static String message(Throwable e) {
        return e.getMessage() == null ? e.toString() : e.getMessage();
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }
}
