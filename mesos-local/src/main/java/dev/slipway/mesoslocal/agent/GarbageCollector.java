package dev.slipway.mesoslocal.agent;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.HashMap;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's garbage collector of sandboxes, as Mesos's ({@code src/slave/gc.cpp} and the agent's
 * {@code garbageCollect}, {@code checkDiskUsage}):
 * <ul>
 * <li>a path is scheduled for removal after a delay: {@code --gc_delay} after the executor's exit, or
 *     for what is found on disk at start, {@code gc_delay} less the age of its newest modification;
 * <li>a scheduled path can be unscheduled (an executor launched again into its directory); one being
 *     removed cannot, and whoever unschedules it waits for the removal to end;
 * <li>every {@code --disk_watch_interval} the disk usage of the work directory's file system shrinks the
 *     delay: paths whose removal is due within {@code gc_delay - max_age}, where
 *     {@code max_age = gc_delay * max(0, 1 - gc_disk_headroom - usage)}, are removed at once ("pruned").
 * </ul>
 * Removal deletes the whole tree, never following symbolic links. Safe from any thread; removals run
 * on {@code remover} (they block), and {@link #collect()} removes what is due, by {@code clock}.
 */
public final class GarbageCollector {
    private static final Logger LOG = LoggerFactory.getLogger(GarbageCollector.class);
    private static final Set<PosixFilePermission> OWNER_ALL = Set.of(PosixFilePermission.OWNER_READ,
            PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE);

    private final Clock clock;
    private final Duration delay;
    private final double headroom;
    private final Executor remover;
    /** Scheduled paths by removal time, each once. */
    private final TreeMap<Instant, Set<Path>> byTime = new TreeMap<>();
    private final Map<Path, Instant> scheduled = new HashMap<>();
    /** Paths being removed, and what completes when they are gone. */
    private final Map<Path, CompletableFuture<Void>> removing = new HashMap<>();

    /**
     * @param delay {@code --gc_delay}
     * @param headroom {@code --gc_disk_headroom}, from 0 to 1
     */
    public GarbageCollector(Clock clock, Duration delay, double headroom, Executor remover) {
        if (delay.isNegative()) {
            throw new IllegalArgumentException("the gc delay must not be negative, was " + delay);
        }
        if (!(headroom >= 0 && headroom <= 1)) {
            throw new IllegalArgumentException("the gc disk headroom must lie within 0 and 1, was " + headroom);
        }
        this.clock = clock;
        this.delay = delay;
        this.headroom = headroom;
        this.remover = remover;
    }

    public Duration delay() {
        return delay;
    }

    /** Schedules {@code path} for removal {@code gc_delay} from now (a scheduled one is rescheduled). */
    public synchronized void schedule(Path path) {
        schedule(path, clock.instant().plus(delay));
    }

    /**
     * Schedules {@code path} for removal {@code gc_delay} after {@code modified}, as Mesos schedules
     * a directory by its modification time: at once when that is past.
     */
    public synchronized void scheduleModifiedAt(Path path, Instant modified) {
        schedule(path, modified.plus(delay));
    }

    private void schedule(Path path, Instant removal) {
        unscheduleOnly(path);
        scheduled.put(path, removal);
        byTime.computeIfAbsent(removal, t -> new LinkedHashSet<>()).add(path);
        LOG.debug("Scheduling '{}' for gc {} in the future", path, Duration.between(clock.instant(), removal));
    }

    /**
     * Takes {@code paths} out of the schedule before something uses them again. The future completes
     * once none of them, nor any directory above them, is being removed.
     */
    public synchronized CompletableFuture<Void> unschedule(Path... paths) {
        List<CompletableFuture<Void>> pending = new ArrayList<>();
        for (Path path : paths) {
            if (unscheduleOnly(path)) {
                LOG.debug("Unscheduled '{}' from gc", path);
            }
            removing.forEach((removed, done) -> {
                if (path.startsWith(removed) || removed.startsWith(path)) {
                    pending.add(done);
                }
            });
        }
        return CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new));
    }

    private boolean unscheduleOnly(Path path) {
        Instant removal = scheduled.remove(path);
        if (removal == null) {
            return false;
        }
        Set<Path> at = byTime.get(removal);
        at.remove(path);
        if (at.isEmpty()) {
            byTime.remove(removal);
        }
        return true;
    }

    /** Whether {@code path} is scheduled (not yet being removed). */
    public synchronized boolean scheduled(Path path) {
        return scheduled.containsKey(path);
    }

    /** When {@code path} is to be removed; null when it is not scheduled. */
    public synchronized Instant removalTime(Path path) {
        return scheduled.get(path);
    }

    /** Removes the paths whose removal time has come; completes once they are gone. */
    public CompletableFuture<Void> collect() {
        return prune(Duration.ZERO);
    }

    /** Removes the paths whose removal is due within {@code within} from now (Mesos's {@code prune}). */
    public synchronized CompletableFuture<Void> prune(Duration within) {
        Instant limit = clock.instant().plus(within);
        List<CompletableFuture<Void>> removals = new ArrayList<>();
        while (!byTime.isEmpty() && !byTime.firstKey().isAfter(limit)) {
            for (Path path : byTime.pollFirstEntry().getValue()) {
                scheduled.remove(path);
                removals.add(remove(path));
            }
        }
        return CompletableFuture.allOf(removals.toArray(CompletableFuture[]::new));
    }

    /**
     * What the agent does every {@code --disk_watch_interval} with the disk usage (0 to 1) of its work
     * directory's file system: removes at once every path whose removal is due within
     * {@code gc_delay - max_age} (see the class). Returns the max age.
     */
    public Duration checkDiskUsage(double usage) {
        Duration maxAge = maxAge(usage);
        LOG.debug("Current disk usage {}%. Max allowed age: {}", String.format("%.2f", 100 * usage), maxAge);
        prune(delay.minus(maxAge));
        return maxAge;
    }

    /** {@code gc_delay * max(0, 1 - gc_disk_headroom - usage)}: how old a sandbox may get at this usage. */
    public Duration maxAge(double usage) {
        double factor = Math.max(0.0, 1.0 - headroom - usage);
        return Duration.ofNanos((long) (delay.toNanos() * factor));
    }

    private CompletableFuture<Void> remove(Path path) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        removing.put(path, done);
        Runnable removal = () -> {
            try {
                deleteTree(path);
                LOG.info("Deleted '{}' (gc)", path);
            } catch (IOException | RuntimeException e) {
                LOG.warn("Failed to delete '{}' (gc): {}", path, e.toString());
            } finally {
                synchronized (this) {
                    removing.remove(path, done);
                }
                done.complete(null);
            }
        };
        try {
            remover.execute(removal);
        } catch (RuntimeException e) {
            // The remover is gone (stopping): the path stays on disk, for the next start to schedule.
            synchronized (this) {
                removing.remove(path, done);
            }
            done.complete(null);
        }
        return done;
    }

    /** Deletes {@code root} and everything under it; symbolic links are removed, never followed. */
    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                // An extracted archive may have read-only directories: their entries could not go.
                try {
                    Set<PosixFilePermission> mode = Files.getPosixFilePermissions(dir, LinkOption.NOFOLLOW_LINKS);
                    if (mode.addAll(OWNER_ALL)) {
                        Files.setPosixFilePermissions(dir, mode);
                    }
                } catch (IOException | UnsupportedOperationException e) {
                    // Deleting its entries will tell.
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.deleteIfExists(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                if (e instanceof NoSuchFileException) {
                    return FileVisitResult.CONTINUE;
                }
                throw e;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                if (e != null && !(e instanceof NoSuchFileException)) {
                    throw e;
                }
                Files.deleteIfExists(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    /**
     * The newest modification time in {@code directory} and the few levels below it (an executor
     * directory, its runs and their files): when the sandbox was last written to. Blocking.
     */
    public static Instant lastModified(Path directory, int depth) throws IOException {
        Instant newest = Instant.EPOCH;
        try (Stream<Path> paths = Files.walk(directory, depth)) {
            for (Path path : (Iterable<Path>) paths::iterator) {
                try {
                    Instant modified = Files.getLastModifiedTime(path, LinkOption.NOFOLLOW_LINKS).toInstant();
                    if (modified.isAfter(newest)) {
                        newest = modified;
                    }
                } catch (NoSuchFileException e) {
                    // Gone while walking.
                }
            }
        }
        return newest;
    }
}
