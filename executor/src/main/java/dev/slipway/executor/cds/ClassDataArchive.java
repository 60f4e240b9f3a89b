package dev.slipway.executor.cds;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import javax.management.JMException;
import javax.management.ObjectName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The executor's class-data archive (AppCDS), made once per agent, executor jar and JVM, so that
 * later executors start in a fraction of the time: their classes are mapped from the archive
 * instead of being read from the 34 MB jar, verified and linked one by one.
 *
 * <p>The executor's command (the framework's {@code LaunchFactory}) looks for the archive beside
 * the agent's sandboxes of the framework. When it is there, the JVM starts from it. When it is not,
 * the JVM starts with {@code -XX:+RecordDynamicDumpInfo} and {@value #ARCHIVE_VARIABLE} naming
 * where it goes, and this class writes it once the instance is healthy (by then the executor has
 * loaded what a start needs: the agent connection, the task, Docker, the health check). One
 * executor at a time writes it ({@code .lock} beside it; a lock older than {@link #STALE_LOCK} is
 * a writer that died), to a temporary file moved into place when complete, so that no JVM ever
 * maps half an archive. The JVM checks an archive against its own version and the jar's size and
 * time itself, and ignores one that does not fit; a new jar or JVM makes a new name, and the
 * archives of other jars are removed once a new one is in place.
 */
public final class ClassDataArchive {
    /** Where the archive goes, set by the executor's command when there is none yet. */
    public static final String ARCHIVE_VARIABLE = "SLIPWAY_EXECUTOR_CDS";
    static final Duration STALE_LOCK = Duration.ofMinutes(10);
    private static final String PREFIX = "slipway-executor-";
    private static final String SUFFIX = ".jsa";
    private static final Logger LOG = LoggerFactory.getLogger(ClassDataArchive.class);

    /** What came of a request to write the archive. */
    public enum Outcome { WRITTEN, NOT_ASKED, NOT_RECORDING, BEING_WRITTEN, FAILED }

    private ClassDataArchive() {
    }

    /** Writes the archive when the executor's command asked for one (see the class comment). Never throws. */
    public static Outcome writeIfAsked(Map<String, String> env, Clock clock) {
        String target = env.get(ARCHIVE_VARIABLE);
        if (target == null || target.isBlank()) {
            return Outcome.NOT_ASKED;
        }
        if (!recording()) {
            LOG.debug("no class-data archive written: the JVM was not started with -XX:+RecordDynamicDumpInfo");
            return Outcome.NOT_RECORDING;
        }
        return write(Path.of(target).toAbsolutePath().normalize(), clock);
    }

    static Outcome write(Path archive, Clock clock) {
        Path lock = archive.resolveSibling(archive.getFileName() + ".lock");
        try {
            if (!takeLock(lock, clock)) {
                return Outcome.BEING_WRITTEN;
            }
        } catch (IOException e) {
            LOG.info("no class-data archive for the executor at {}: {}", archive, e.getMessage());
            return Outcome.FAILED;
        }
        Path partial = archive.resolveSibling(archive.getFileName() + "." + ProcessHandle.current().pid() + ".tmp");
        long started = System.nanoTime();
        try {
            dump(partial);
            Files.move(partial, archive, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            removeOthers(archive);
            LOG.info("wrote the executor's class-data archive {} ({} KB, {} ms): executors started from now on use it",
                    archive, Files.size(archive) / 1024, (System.nanoTime() - started) / 1_000_000);
            return Outcome.WRITTEN;
        } catch (IOException | JMException | RuntimeException e) {
            LOG.info("no class-data archive for the executor at {}: {}", archive, e.getMessage());
            return Outcome.FAILED;
        } finally {
            deleteQuietly(partial);
            deleteQuietly(lock);
        }
    }

    /** The lock, unless another executor holds it; one left by a writer that died is taken over. */
    private static boolean takeLock(Path lock, Clock clock) throws IOException {
        try {
            Files.createFile(lock);
            return true;
        } catch (FileAlreadyExistsException e) {
            if (Files.getLastModifiedTime(lock).toInstant().plus(STALE_LOCK).isAfter(clock.instant())) {
                return false;
            }
            Files.deleteIfExists(lock);
            try {
                Files.createFile(lock);
                return true;
            } catch (FileAlreadyExistsException raced) {
                return false;
            }
        }
    }

    /** The JVM's own dynamic dump ({@code jcmd PID VM.cds dynamic_dump FILE}), from within. */
    private static void dump(Path file) throws JMException, IOException {
        Object said = ManagementFactory.getPlatformMBeanServer().invoke(
                new ObjectName("com.sun.management:type=DiagnosticCommand"), "vmCds",
                new Object[] {new String[] {"dynamic_dump", file.toString()}},
                new String[] {String[].class.getName()});
        if (!Files.isRegularFile(file) || Files.size(file) == 0) {
            throw new IOException("the JVM wrote no archive (" + String.valueOf(said).strip() + ")");
        }
    }

    private static boolean recording() {
        try {
            return "true".equals(ManagementFactory.getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class)
                    .getVMOption("RecordDynamicDumpInfo").getValue());
        } catch (IllegalArgumentException e) {
            return false; // a JVM without the option
        }
    }

    /** The archives of other jars (or JVMs) beside it: a JVM that maps one keeps it while it runs. */
    private static void removeOthers(Path archive) {
        try (DirectoryStream<Path> others = Files.newDirectoryStream(archive.getParent(), PREFIX + "*" + SUFFIX)) {
            for (Path other : others) {
                if (!other.getFileName().equals(archive.getFileName())) {
                    deleteQuietly(other);
                }
            }
        } catch (IOException e) {
            LOG.debug("old class-data archives beside {} left: {}", archive, e.getMessage());
        }
    }

    private static void deleteQuietly(Path path) {
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            LOG.debug("cannot remove {}: {}", path, e.getMessage());
        }
    }
}
