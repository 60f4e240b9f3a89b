package dev.slipway.cli.bench;

import dev.slipway.mesoslocal.SimulatedAgents;
import dev.slipway.zk.App;
import dev.slipway.zk.AppStore;
import dev.slipway.zk.Release;
import dev.slipway.zk.ReleaseStore;
import dev.slipway.zk.Versioned;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntConsumer;
import java.util.stream.IntStream;

/**
 * The scheduler at datacenter scale (issue 13, {@code bench/scheduler-scale}): on mesos-local's
 * simulated agents with rack and zone attributes, apps with a released {@code web} process type
 * are all scaled at once, by writing their formations to ZooKeeper, and the benchmark waits
 * until the framework has stored every instance as RUNNING (simulated agents run nothing: their
 * tasks report RUNNING at once, with no health check). Then it times {@code GET /apps}, walks
 * ZooKeeper for its largest node, and asks the framework's JVM for its heap and CPU time. Each
 * scenario (no constraint; {@code zone:GROUP_BY}) starts a fresh stack. Prints Markdown.
 */
public final class SchedulerScale {
    /** Marathon's published figure: 500 instances in 14 s on 189 agents. */
    static final String MARATHON = "Marathon (published): 500 instances in 14 s on 189 agents";
    static final List<String> RACKS = IntStream.rangeClosed(1, 40).mapToObj(i -> String.format("r%02d", i)).toList();
    static final List<String> ZONES = List.of("z1", "z2", "z3", "z4");

    /** How big a run is; see {@link #parse}. */
    record Options(int agents, int apps, int instances, int listApps, int timeoutSeconds, List<String> scenarios,
            Path work, Path buildpacks, List<String> jvmOptions) {
    }

    /** What one scenario measured; {@code placedSeconds} is -1 when not all were RUNNING in time. */
    record Result(String scenario, int wanted, int running, double writeSeconds, double placedSeconds,
            Map<Integer, Double> listMillis, ZkSizes zkSizes, BenchStack.Stats idle, BenchStack.Stats placed,
            BenchStack.Stats end) {
    }

    private final Options options;
    private final PrintStream progress;
    private final HttpClient http = HttpClient.newHttpClient();

    SchedulerScale(Options options, PrintStream progress) {
        this.options = options;
        this.progress = progress;
    }

    public static void main(String[] args) throws Exception {
        Options options = parse(args);
        List<Result> results;
        try {
            results = new SchedulerScale(options, System.err).runAll();
        } catch (Exception e) {
            e.printStackTrace();
            // mesos-local's threads would keep the JVM alive.
            System.exit(1);
            return;
        }
        System.out.print(markdown(options, results));
        System.exit(results.stream().allMatch(r -> r.placedSeconds() >= 0) ? 0 : 2);
    }

    List<Result> runAll() throws Exception {
        List<Result> results = new ArrayList<>();
        for (String scenario : options.scenarios()) {
            results.add(run(scenario));
        }
        return results;
    }

    Result run(String scenario) throws Exception {
        List<String> constraints = switch (scenario) {
            case "plain" -> List.of();
            case "group-by-zone" -> List.of("zone:GROUP_BY");
            default -> throw new IllegalArgumentException("unknown scenario " + scenario
                    + " (plain, group-by-zone)");
        };
        Path home = Files.createDirectories(options.work().resolve(scenario));
        SimulatedAgents agents = SimulatedAgents.of(options.agents(), RACKS, ZONES);
        List<String> jvm = options.jvmOptions().stream().map(o -> o.replace("{scenario}", scenario)).toList();
        progress.printf("[%s] starting ZooKeeper, mesos-local with %d simulated agents and the framework (%s)%n",
                scenario, options.agents(), home);
        try (BenchStack stack = BenchStack.start(home, agents, options.buildpacks(), jvm);
             RunningCount running = new RunningCount(stack.zk())) {
            AppStore apps = new AppStore(stack.zk());
            ReleaseStore releases = new ReleaseStore(stack.zk());
            progress.printf("[%s] creating %d apps, each with a release of a web process type%n", scenario,
                    options.apps());
            parallel(options.apps(), i -> createReleased(apps, releases, name(i)));
            Thread.sleep(3000);   // a few idle ticks: the scale below starts from a quiet framework
            BenchStack.Stats idle = stack.stats();

            progress.printf("[%s] scaling every app to web=%d at once%n", scenario, options.instances());
            long start = System.nanoTime();
            parallel(options.apps(), i -> scale(apps, name(i), options.instances(), constraints));
            double writeSeconds = seconds(start);
            int wanted = options.apps() * options.instances();
            long deadline = start + options.timeoutSeconds() * 1_000_000_000L;
            long nextReport = System.nanoTime() + 10_000_000_000L;
            while (running.get() < wanted && System.nanoTime() < deadline) {
                Thread.sleep(50);
                if (System.nanoTime() > nextReport) {
                    progress.printf("[%s] %.0f s: %d of %d RUNNING%n", scenario, seconds(start), running.get(), wanted);
                    nextReport += 10_000_000_000L;
                }
            }
            int done = running.get();
            double placedSeconds = done >= wanted ? seconds(start) : -1;
            progress.printf("[%s] %d of %d RUNNING after %.1f s%n", scenario, done, wanted, seconds(start));
            BenchStack.Stats placed = stack.stats();

            Map<Integer, Double> listMillis = new java.util.TreeMap<>();
            ZkSizes sizes = null;
            if (scenario.equals("plain")) {
                listMillis.put(options.apps(), listMillis(stack.api()));
                if (options.listApps() > options.apps()) {
                    progress.printf("[%s] creating %d more apps for GET /apps%n", scenario,
                            options.listApps() - options.apps());
                    parallel(options.listApps() - options.apps(),
                            i -> createReleased(apps, releases, name(options.apps() + i)));
                    listMillis.put(options.listApps(), listMillis(stack.api()));
                }
            }
            if (scenario.equals("plain")) {
                // The other scenarios store the same records: one walk (minutes at 40,000 nodes) is enough.
                progress.printf("[%s] walking ZooKeeper%n", scenario);
                sizes = ZkSizes.of(stack.zk());
            }
            BenchStack.Stats end = stack.stats();
            return new Result(scenario, wanted, done, writeSeconds, placedSeconds, listMillis, sizes, idle, placed,
                    end);
        }
    }

    static String name(int i) {
        return String.format("bench-%05d", i + 1);
    }

    private static void createReleased(AppStore apps, ReleaseStore releases, String name) {
        Instant now = Instant.now();
        Versioned<App> app = apps.create(App.named(name).formation(Map.of("web", 0)).createdAt(now).build());
        // Simulated agents fetch nothing and run nothing: the slug need not exist.
        releases.publish(app, new Release(1, "c".repeat(64), 10, Map.of("web", "./web"), "bench release", now));
    }

    private static void scale(AppStore apps, String name, int instances, List<String> constraints) {
        Versioned<App> app = apps.require(name);
        apps.update(app.value().scaled("web", instances).withConstraints("web", constraints), app.version());
    }

    /** The median of 5 timed {@code GET /apps} after one untimed. */
    private double listMillis(String api) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(api + "/apps")).header("Authorization", "Bearer "
                + dev.slipway.cli.Credentials.ofThisUser().get(api).orElseThrow()).build();
        http.send(request, HttpResponse.BodyHandlers.ofString());
        double[] millis = new double[5];
        for (int i = 0; i < millis.length; i++) {
            long start = System.nanoTime();
            HttpResponse<String> answer = http.send(request, HttpResponse.BodyHandlers.ofString());
            millis[i] = (System.nanoTime() - start) / 1e6;
            if (answer.statusCode() != 200) {
                throw new IllegalStateException("GET /apps answered " + answer.statusCode() + ": " + answer.body());
            }
        }
        Arrays.sort(millis);
        return millis[millis.length / 2];
    }

    private static void parallel(int count, IntConsumer each) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> all = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                int n = i;
                all.add(pool.submit(() -> each.accept(n)));
            }
            for (Future<?> f : all) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    static String markdown(Options options, List<Result> results) {
        StringBuilder out = new StringBuilder();
        out.append(String.format("%d simulated agents (8 cpus, 32 GB, %d racks, %d zones), %d apps x %d web "
                        + "instances, formations written at once to ZooKeeper; timeout %d s.%n%n", options.agents(),
                RACKS.size(), ZONES.size(), options.apps(), options.instances(), options.timeoutSeconds()));
        out.append("| scenario | instances RUNNING | seconds until all RUNNING | formations written in | "
                + "framework CPU s while placing | framework heap after GC |\n| --- | --- | --- | --- | --- | --- |\n");
        for (Result r : results) {
            out.append(String.format("| %s | %d of %d | %s | %.2f s | %.1f | %d MB |%n", r.scenario(), r.running(),
                    r.wanted(), r.placedSeconds() < 0 ? "not all in " + options.timeoutSeconds() + " s"
                            : String.format("%.1f", r.placedSeconds()), r.writeSeconds(),
                    (r.placed().cpuNanos() - r.idle().cpuNanos()) / 1e9, r.placed().heapUsed() >> 20));
        }
        out.append(String.format("| %s | | | | | |%n%n", MARATHON));
        for (Result r : results) {
            r.listMillis().forEach((apps, ms) -> out.append(String.format("- `GET /apps` with %d apps: %.0f ms "
                    + "(median of 5)%n", apps, ms)));
            if (r.zkSizes() != null) {
                out.append(String.format("- ZooKeeper after `%s`: %d nodes, %d KB in all; largest node %s, %d bytes%n",
                        r.scenario(), r.zkSizes().nodes(), r.zkSizes().totalBytes() >> 10, r.zkSizes().largestPath(),
                        r.zkSizes().largestBytes()));
            }
            out.append(String.format("- framework JVM after `%s`: %.1f CPU s in all, heap %d MB used after GC "
                    + "(%d MB committed)%n", r.scenario(), r.end().cpuNanos() / 1e9, r.end().heapUsed() >> 20,
                    r.end().heapCommitted() >> 20));
        }
        out.append("\nGoals (issue 13): 10,000 instances placed in under 10 s; GET /apps with 10,000 apps under "
                + "200 ms; no ZooKeeper node over 100 KB.\n");
        return out.toString();
    }

    static Options parse(String[] args) {
        int agents = 1000;
        int apps = 1000;
        int instances = 10;
        int listApps = 10_000;
        int timeout = 600;
        List<String> scenarios = List.of("plain", "group-by-zone");
        Path work = null;
        Path buildpacks = Path.of("buildpacks");
        List<String> jvm = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String value = i + 1 < args.length ? args[i + 1] : null;
            switch (args[i]) {
                case "--agents" -> agents = Integer.parseInt(value);
                case "--apps" -> apps = Integer.parseInt(value);
                case "--instances" -> instances = Integer.parseInt(value);
                case "--list-apps" -> listApps = Integer.parseInt(value);
                case "--timeout" -> timeout = Integer.parseInt(value);
                case "--scenarios" -> scenarios = List.of(value.split(","));
                case "--work" -> work = Path.of(value);
                case "--buildpacks" -> buildpacks = Path.of(value);
                case "--jvm" -> jvm.add(value);
                default -> throw new IllegalArgumentException("unknown option " + args[i] + " (--agents, --apps, "
                        + "--instances, --list-apps, --timeout, --scenarios, --work, --buildpacks, --jvm)");
            }
            i++;
        }
        if (work == null) {
            try {
                work = Files.createTempDirectory("slipway-scheduler-scale-");
            } catch (IOException e) {
                throw new IllegalStateException("cannot create a work directory", e);
            }
        }
        return new Options(agents, apps, instances, listApps, timeout, scenarios, work, buildpacks, List.copyOf(jvm));
    }
}
