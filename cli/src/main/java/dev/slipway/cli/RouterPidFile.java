package dev.slipway.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.slipway.zk.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Optional;

/**
 * What a running {@code slipway router} wrote about itself once it listened: its pid, where it
 * listens, where it reads routes, and which build of Slipway it is. {@code slipway up} reads it
 * to find the router an earlier {@code up} left running.
 *
 * @param httpsPort the port of its HTTPS listener, -1 without one
 * @param build the build of Slipway the router runs (see {@link #thisBuild()}), to replace an outdated one
 * @param api   the framework API the router ships its log lines to; null: none
 * @param metricsPort the port of its metrics listener; null without one
 */
record RouterPidFile(long pid, String host, int port, int httpsPort, String domain, String zk, String build, String api,
                     Integer metricsPort) {

    /** A router without an HTTPS listener nor metrics. */
    RouterPidFile(long pid, String host, int port, String domain, String zk, String build, String api) {
        this(pid, host, port, -1, domain, zk, build, api, null);
    }

    /** Writes the file whole: a reader never sees half of it. */
    void write(Path file) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Path partial = file.resolveSibling(file.getFileName() + ".partial");
            Files.writeString(partial, Json.mapper().writeValueAsString(this));
            Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write the router's pid file " + file, e);
        }
    }

    /** Removes the file if it still describes this router (a newer one may have replaced it). */
    void deleteIfStill(Path file) {
        if (read(file).filter(this::equals).isPresent()) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                // A stale file is harmless: the next reader checks the process it names.
            }
        }
    }

    /** The file's content; empty when there is none or it cannot be read as one. */
    static Optional<RouterPidFile> read(Path file) {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(Json.mapper().readValue(Files.readString(file), RouterPidFile.class));
        } catch (JsonProcessingException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("could not read the router's pid file " + file, e);
        }
    }

    /**
     * The process this file names, when it really is a Slipway router started with this very pid
     * file (its command line says so): a stale file, or one naming a reused pid, gives empty.
     */
    Optional<ProcessHandle> process(Path file) {
        return ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                .filter(process -> isRouterWith(process, file));
    }

    private static boolean isRouterWith(ProcessHandle process, Path file) {
        List<String> arguments = arguments(process);
        int router = arguments.indexOf(RouterChild.MAIN_CLASS) + 1;
        int pidFile = arguments.indexOf("--pid-file") + 1;
        return router > 0 && router < arguments.size() && arguments.get(router).equals("router")
                && pidFile > 0 && pidFile < arguments.size()
                && Path.of(arguments.get(pidFile)).toAbsolutePath().normalize()
                        .equals(file.toAbsolutePath().normalize());
    }

    /**
     * The process's command line after the program. Read from {@code /proc} where there is one: the
     * JDK gives none for a command line past 4096 bytes, as a java with a long classpath has.
     */
    private static List<String> arguments(ProcessHandle process) {
        Path cmdline = Path.of("/proc", String.valueOf(process.pid()), "cmdline");
        try {
            if (Files.isReadable(cmdline)) {
                List<String> all = List.of(Files.readString(cmdline).split("\0"));
                return all.isEmpty() ? all : all.subList(1, all.size());
            }
        } catch (IOException e) {
            // Gone meanwhile, or not ours to read: the JDK's view then.
        }
        return process.info().arguments().map(List::of).orElse(List.of());
    }

    /**
     * This build of Slipway: where its code is and when that was made. A router of another build is
     * replaced rather than taken back.
     */
    static String thisBuild() {
        try {
            Path code = Path.of(RouterPidFile.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return code + "@" + Files.getLastModifiedTime(code).toMillis();
        } catch (IOException | URISyntaxException | NullPointerException e) {
            return "unknown";
        }
    }
}
