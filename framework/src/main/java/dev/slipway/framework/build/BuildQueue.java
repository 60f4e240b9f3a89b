package dev.slipway.framework.build;

import dev.slipway.framework.events.EventSink;
import dev.slipway.framework.events.EventTypes;
import dev.slipway.framework.logs.LogSink;
import dev.slipway.slug.BuildFailed;
import dev.slipway.slug.InvalidSource;
import dev.slipway.zk.Build;
import dev.slipway.zk.BuildStore;
import dev.slipway.zk.Conflict;
import dev.slipway.zk.Release;
import dev.slipway.zk.Unavailable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds in the background, as Heroku's build API has them: a build is accepted (recorded as
 * pending in ZooKeeper, its output file started) and then run by the {@link Deployer} on a small
 * pool of build threads, one build per app at a time. Its output goes to
 * {@code <outputDir>/<app>/<id>.log} line by line and to whoever watches it live; when it ends,
 * its record says whether it succeeded (and with which release) or failed (and why), and the
 * failure's message is the last lines of its output. The last {@value #KEEP} builds of each app
 * are kept, with their output. The app's log hears when a build starts and ends and when it
 * released ({@code slipway[api]: Build succeeded (build 0b7d3c5e)}).
 */
public final class BuildQueue implements AutoCloseable {
    /** How many builds (with their output) are kept per app. */
    public static final int KEEP = 20;
    /** Builds that run at once, over all apps; more wait their turn. */
    static final int THREADS = Math.max(2, Runtime.getRuntime().availableProcessors() / 2);
    static final String INTERRUPTED = "interrupted: the framework restarted";
    static final String STOPPED = "the build stopped unexpectedly: see the framework's log";
    /** Who speaks in the app's log about builds and releases: {@code slipway[api]}. */
    private static final String API = "api";
    private static final Logger LOG = LoggerFactory.getLogger(BuildQueue.class);

    private final Deployer deployer;
    private final BuildStore records;
    private final Path outputDir;
    private final LogSink logs;
    private final EventSink events;
    private final Clock clock;
    private final ExecutorService pool;
    private final Set<String> building = ConcurrentHashMap.newKeySet();
    private final Map<String, BuildLog> live = new ConcurrentHashMap<>();
    private final Map<String, java.util.concurrent.Future<?>> running = new ConcurrentHashMap<>();

    public BuildQueue(Deployer deployer, BuildStore records, Path outputDir, LogSink logs, Clock clock) {
        this(deployer, records, outputDir, logs, EventSink.NONE, clock);
    }

    /** A queue that also tells {@code events} of builds starting and ending and of the releases they make. */
    public BuildQueue(Deployer deployer, BuildStore records, Path outputDir, LogSink logs, EventSink events,
                      Clock clock) {
        this.deployer = deployer;
        this.records = records;
        this.outputDir = outputDir;
        this.logs = logs;
        this.events = events;
        this.clock = clock;
        AtomicInteger threads = new AtomicInteger();
        this.pool = Executors.newFixedThreadPool(THREADS, task -> {
            Thread thread = new Thread(task, "slipway-build-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Whether a build of {@code app} is running; a cheap check before taking an upload. */
    public boolean isBuilding(String app) {
        return building.contains(app);
    }

    /**
     * Accepts {@code sourceTgz} (which this then owns and deletes) as the next build of
     * {@code app} and returns its pending record; the build runs in the background. Blocking
     * (ZooKeeper, file I/O). Its release, if it makes one, is made by {@code user}.
     *
     * @throws Conflict                  when a build of the app is running
     * @throws dev.slipway.zk.NotFound   when there is no such app
     * @throws Unavailable              when the framework is stopping
     */
    public Build submit(String app, Path sourceTgz, String user) {
        return submit(app, sourceTgz, user, "");
    }

    /**
     * As {@link #submit(String, Path, String)}, recording what the uploader said its source's content
     * is ({@link Build#sourceChecksum()}; empty: nothing).
     */
    public Build submit(String app, Path sourceTgz, String user, String sourceChecksum) {
        if (!building.add(app)) {
            delete(sourceTgz);
            throw new Conflict("a build of app '" + app + "' is already running: wait for it to finish");
        }
        Build build = Build.pending(UUID.randomUUID().toString(), app, clock.instant(), sourceChecksum);
        BuildLog log;
        try {
            log = BuildLog.create(logFile(app, build.id()));
        } catch (IOException e) {
            building.remove(app);
            delete(sourceTgz);
            throw new UncheckedIOException("cannot start the output file of a build of " + app, e);
        }
        // Live before it is recorded: whoever finds the record finds its output growing.
        live.put(build.id(), log);
        try {
            records.create(build);
        } catch (RuntimeException e) {
            log.finish();
            live.remove(build.id());
            building.remove(app);
            delete(sourceTgz);
            delete(log.file());
            throw e;
        }
        prune(app);
        try {
            running.put(app, pool.submit(() -> run(build, sourceTgz, log, user)));
        } catch (RejectedExecutionException e) {
            failQuietly(build, log, new IllegalStateException("the framework is stopping"));
            end(build, log, sourceTgz);
            throw new Unavailable("the framework is stopping: build not started", e);
        }
        LOG.info("build {} of app {} accepted", build.id(), app);
        return build;
    }

    /** The output of a running build, to watch; empty once the build has ended. */
    public Optional<BuildLog> live(String id) {
        return Optional.ofNullable(live.get(id));
    }

    /** Where a build's output is kept. */
    public Path logFile(String app, String id) {
        if (!Build.isId(id)) {
            throw new IllegalArgumentException("not a build id: " + id);
        }
        return outputDir.resolve(app).resolve(id + ".log");
    }

    /**
     * Marks the builds that were pending when the framework last stopped as failed: nothing
     * runs them any more. Call once at start-up, before taking builds. Blocking.
     */
    public void failInterruptedBuilds() {
        for (Build build : records.pending()) {
            if (live.containsKey(build.id())) {
                continue;
            }
            Path file = logFile(build.app(), build.id());
            if (Files.exists(file)) {
                try {
                    Files.writeString(file, " !     " + INTERRUPTED + "\n", StandardCharsets.UTF_8,
                            StandardOpenOption.APPEND);
                } catch (IOException e) {
                    LOG.warn("cannot append to the output of interrupted build {}: {}", build.id(), e.getMessage());
                }
            }
            records.put(build.failed(INTERRUPTED, clock.instant()));
            LOG.info("build {} of app {} marked failed: {}", build.id(), build.app(), INTERRUPTED);
            logs.event(build.app(), API, "Build failed (build " + shortId(build) + "): " + INTERRUPTED);
            tell(EventTypes.BUILD_FAILED, build, Map.of("reason", INTERRUPTED),
                    "Build failed (build " + shortId(build) + "): " + INTERRUPTED);
        }
    }

    private void run(Build build, Path sourceTgz, BuildLog log, String user) {
        boolean recorded = false;
        Release release = null;
        try {
            LOG.info("build {} of app {} started", build.id(), build.app());
            logs.event(build.app(), API, "Build started (build " + shortId(build) + ")");
            tell(EventTypes.BUILD_STARTED, build, Map.of(), "Build started (build " + shortId(build) + ")");
            try {
                release = deployer.deploy(build.app(), sourceTgz, log::append, user, made -> released(build, made));
            } catch (RuntimeException e) {
                // Cancelled (its app destroyed): the interrupt is cleared, so that its end is still recorded.
                boolean cancelled = Thread.interrupted() && !pool.isShutdown();
                fail(build, log, cancelled ? new Conflict("cancelled: app " + build.app() + " is being destroyed") : e);
                recorded = true;
                return;
            }
            logs.event(build.app(), API, "Build succeeded (build " + shortId(build) + ")");
            logs.event(build.app(), API, "Release v" + release.version() + " created (" + release.description() + ")");
            records.put(build.succeeded(release.version(), clock.instant()));
            recorded = true;
            LOG.info("build {} of app {} succeeded: v{}", build.id(), build.app(), release.version());
        } finally {
            if (!recorded && release == null) {
                // An Error, or the failure could not be recorded: try once more rather than stay pending.
                failQuietly(build, log, new IllegalStateException(STOPPED));
            } else if (!recorded) {
                LOG.warn("build {} of app {} released v{} but its record could not be written: it stays pending "
                        + "until the framework restarts", build.id(), build.app(), release.version());
            }
            end(build, log, sourceTgz);
        }
    }

    private void fail(Build build, BuildLog log, RuntimeException e) {
        String message = e.getMessage() == null || e.getMessage().isBlank() ? e.getClass().getSimpleName()
                : e.getMessage();
        // Builds writes the message of its own failures to the output already.
        if (!(e instanceof BuildFailed || e instanceof InvalidSource)) {
            message.lines().forEach(line -> log.append(" !     " + line));
        }
        if (e instanceof BuildFailed || e instanceof InvalidSource || e instanceof Conflict) {
            LOG.info("build {} of app {} failed: {}", build.id(), build.app(), message);
        } else {
            LOG.warn("build {} of app {} failed", build.id(), build.app(), e);
        }
        String reason = message.lines().findFirst().orElse("");
        logs.event(build.app(), API, "Build failed (build " + shortId(build) + "): " + reason);
        tell(EventTypes.BUILD_FAILED, build, Map.of("reason", reason),
                "Build failed (build " + shortId(build) + "): " + reason);
        records.put(build.failed(message, clock.instant()));
    }

    /**
     * The build succeeded and its release is stored (on the build's thread, before the scheduler
     * hears of it): said in this order, so that both come before any instance of the release.
     */
    private void released(Build build, Release release) {
        tell(EventTypes.BUILD_SUCCEEDED, build, Map.of("release", release.version()),
                "Build succeeded (build " + shortId(build) + "): v" + release.version());
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("release", release.version());
        fields.put("build_id", build.id());
        fields.put("slug", release.slug());
        fields.put("process_types", release.processTypes().keySet().stream().sorted().toList());
        fields.put("description", release.description());
        if (release.user() != null) {
            fields.put("user", release.user());
        }
        fields.put("message", "Release v" + release.version() + " created (" + release.description() + ")");
        events.publish(EventTypes.RELEASE_CREATED, build.app(), fields);
    }

    private void tell(String type, Build build, Map<String, Object> more, String message) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("build_id", build.id());
        fields.putAll(more);
        fields.put("message", message);
        events.publish(type, build.app(), fields);
    }

    private static String shortId(Build build) {
        return build.id().substring(0, Math.min(8, build.id().length()));
    }

    private void failQuietly(Build build, BuildLog log, RuntimeException e) {
        try {
            fail(build, log, e);
        } catch (RuntimeException again) {
            LOG.warn("cannot record the end of build {} of app {}: it stays pending until the framework restarts",
                    build.id(), build.app(), again);
        }
    }

    /** Ends the build's output and frees its app for the next build. */
    private void end(Build build, BuildLog log, Path sourceTgz) {
        log.finish();
        live.remove(build.id());
        running.remove(build.app());
        building.remove(build.app());
        delete(sourceTgz);
    }

    /**
     * Interrupts the running build of {@code app}, if any (its step's processes are killed and it
     * ends failed), and waits until it has ended, at most {@code wait}. Blocking.
     *
     * @return whether no build of the app runs any more
     */
    public boolean cancel(String app, java.time.Duration wait) throws InterruptedException {
        java.util.concurrent.Future<?> build = running.get(app);
        if (build != null) {
            LOG.info("cancelling the running build of app {}", app);
            build.cancel(true);
        }
        long until = System.nanoTime() + wait.toNanos();
        while (building.contains(app) && System.nanoTime() < until) {
            // The build's thread ends it (records it failed, frees the app) on its own time.
            Thread.sleep(50);
        }
        return !building.contains(app);
    }

    private void prune(String app) {
        try {
            for (Build old : records.prune(app, KEEP)) {
                delete(logFile(app, old.id()));
            }
        } catch (RuntimeException e) {
            LOG.warn("cannot prune the old builds of app {}: {}", app, e.getMessage());
        }
    }

    private static void delete(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.warn("cannot delete {}: {}", file, e.getMessage());
        }
    }

    /** Takes no more builds and interrupts those running (their step's processes are killed). */
    @Override
    public void close() {
        pool.shutdownNow();
    }
}
