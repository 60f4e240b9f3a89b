package dev.slipway.cli;

import dev.slipway.cli.apply.AppPlan;
import dev.slipway.cli.apply.AppsFile;
import dev.slipway.cli.apply.AppsFileParser;
import dev.slipway.cli.apply.Convergence;
import dev.slipway.cli.apply.InvalidAppsFile;
import dev.slipway.cli.apply.Step;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code slipway apply -f apps.yaml}: declare many apps in one file and converge them (see
 * docs/apply.md). The file is checked whole first; then each app's state is read and its plan
 * printed; then the plans are carried out, in dependency order, {@code --concurrency} apps at a
 * time. Exits non-zero when an app failed (or was skipped because one it depends on failed).
 */
@Command(name = "apply", description = "Create, configure, deploy and scale the apps an apps file declares "
        + "(see docs/apply.md); --dry-run prints the plan and changes nothing.")
final class ApplyCommand implements Callable<Integer> {
    @Mixin
    ApiOptions api;
    @Option(names = {"-f", "--file"}, paramLabel = "FILE", required = true, description = "the apps file (YAML)")
    Path file;
    @Option(names = "--dry-run", description = "print the plan, change nothing")
    boolean dryRun;
    @Option(names = "--concurrency", paramLabel = "N", defaultValue = "4", description = "apps converged at once "
            + "(1-32, default 4)")
    int concurrency;
    @Option(names = "--wait", paramLabel = "SECONDS", defaultValue = "600", description = "seconds to follow each "
            + "deployment (0: don't wait for deployments; then depends_on orders the changes, not the rollouts)")
    int waitSeconds;
    @Option(names = {"-v", "--verbose"}, description = "print every build's output (else only a failed build's last"
            + " lines)")
    boolean verbose;

    @Override
    public Integer call() throws Exception {
        if (concurrency < 1 || concurrency > 32) {
            throw new UsageError("--concurrency takes 1 to 32, not " + concurrency);
        }
        if (waitSeconds < 0) {
            throw new UsageError("--wait takes seconds, 0 or more, not " + waitSeconds);
        }
        if (!Files.isRegularFile(file)) {
            throw new UsageError(file + " is not a file: give the apps file, e.g. `slipway apply -f apps.yaml`");
        }
        AppsFile apps;
        try {
            apps = AppsFileParser.read(file);
        } catch (InvalidAppsFile e) {
            throw new CliError(e.getMessage());
        }
        PrintStream out = System.out;
        ApiPlatform platform = new ApiPlatform(api.client(), waitSeconds, verbose);
        List<AppPlan> plans = Convergence.plan(apps, platform, concurrency);
        long upToDate = plans.stream().filter(AppPlan::upToDate).count();
        long unreadable = plans.stream().filter(p -> p.error() != null).count();
        if (upToDate == plans.size()) {
            out.println(count(plans.size()) + " up to date: nothing to do");
            return Main.OK;
        }
        printPlan(out, plans, upToDate);
        if (dryRun) {
            out.println("Dry run: nothing was changed.");
            return unreadable == 0 ? Main.OK : Main.FAILURE;
        }
        out.println("Applying " + file + " (" + concurrency + " apps at a time)...");
        List<Convergence.Outcome> outcomes = Convergence.apply(plans, platform, concurrency, line -> {
            synchronized (out) {
                out.println("  " + line);
            }
        });
        return summary(out, outcomes);
    }

    private void printPlan(PrintStream out, List<AppPlan> plans, long upToDate) {
        long changing = plans.stream().filter(p -> !p.upToDate() && p.error() == null).count();
        out.println(Terminal.heading("Plan for " + file + ": " + count(changing) + " to change, " + upToDate
                + " up to date"));
        for (AppPlan plan : plans) {
            if (plan.error() != null) {
                out.println("  " + plan.name() + ": " + Terminal.red("cannot plan:") + " " + plan.error());
            } else if (!plan.upToDate()) {
                out.println("  " + plan.name() + (plan.create() ? " (new)" : "") + ":");
                for (Step step : plan.steps()) {
                    out.println("    - " + step.describe());
                }
            }
        }
    }

    private int summary(PrintStream out, List<Convergence.Outcome> outcomes) {
        int changed = 0;
        int upToDate = 0;
        int failed = 0;
        int skipped = 0;
        for (Convergence.Outcome outcome : outcomes) {
            switch (outcome.result()) {
                case CHANGED -> changed++;
                case UP_TO_DATE -> upToDate++;
                case FAILED -> failed++;
                case SKIPPED -> skipped++;
            }
        }
        out.println(Terminal.heading("Applied " + file + ": " + changed + " changed, " + upToDate + " up to date, "
                + failed + " failed, " + skipped + " skipped"));
        for (Convergence.Outcome outcome : outcomes) {
            if (outcome.result() == Convergence.Result.FAILED) {
                out.println("  " + outcome.app() + " " + Terminal.red("failed:") + " " + outcome.detail());
            }
        }
        for (Convergence.Outcome outcome : outcomes) {
            if (outcome.result() == Convergence.Result.SKIPPED) {
                out.println("  " + outcome.app() + " skipped: " + outcome.detail());
            }
        }
        return failed + skipped == 0 ? Main.OK : Main.FAILURE;
    }

    private static String count(long apps) {
        return apps + (apps == 1 ? " app" : " apps");
    }
}
