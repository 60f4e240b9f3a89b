package dev.slipway.cli;

import java.io.IOException;
import java.net.URI;
import java.nio.channels.FileChannel;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * The router of {@code slipway up}, in a process of its own ({@code slipway router}, the same java
 * and classpath as this JVM) so that it outlives the framework's JVM: a {@code kill -9} of
 * {@code up} leaves it serving the last routes it read. The next {@code up} takes it back when it
 * listens where wanted (the port stays bound: no request is refused), and replaces it otherwise.
 * Its output goes to {@code router.log} next to its pid file, and is followed onto {@code up}'s
 * console with a prefix.
 */
final class RouterChild implements AutoCloseable {
    static final String MAIN_CLASS = "dev.slipway.cli.Main";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
    /** Longer than the router's drain (10 s by default): a SIGTERM lets its requests in flight finish. */
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(20);

    /**
     * What {@code up} wants of its router; a port of 0 takes any, an HTTPS port of -1 is no HTTPS
     * listener. {@code zkCredentials} is the credentials file whose read-only {@code router} identity
     * the router connects as; the router ships its log lines to {@code api} with the credential in
     * {@code logToken} (written once the framework has started; the router reads it when it has lines
     * to ship). A {@code metricsPort} of -1 is no metrics listener (0 takes any), on loopback.
     */
    record Settings(String host, int port, int httpsPort, String domain, String zk, Path zkCredentials, URI api,
                    Path logToken, int metricsPort) {
        /** A router without an HTTPS listener nor metrics. */
        Settings(String host, int port, String domain, String zk, Path zkCredentials, URI api, Path logToken) {
            this(host, port, -1, domain, zk, zkCredentials, api, logToken, -1);
        }

        boolean metBy(RouterPidFile running) {
            return running.host().equals(host) && (port == 0 || running.port() == port)
                    && (httpsPort < 0 ? running.httpsPort() < 0 : running.httpsPort() >= 0
                    && (httpsPort == 0 || running.httpsPort() == httpsPort))
                    && running.domain().equalsIgnoreCase(domain) && running.zk().equals(zk)
                    && Objects.equals(running.api(), api.toString())
                    && (metricsPort < 0 ? running.metricsPort() == null : running.metricsPort() != null
                    && (metricsPort == 0 || running.metricsPort() == metricsPort))
                    && running.build().equals(RouterPidFile.thisBuild());
        }
    }

    private final ProcessHandle process;
    private final int port;
    private final int httpsPort;
    private final int metricsPort;
    private final LogTail output;
    private final FileChannel owner;

    private RouterChild(ProcessHandle process, RouterPidFile listening, LogTail output, FileChannel owner) {
        this.process = process;
        this.port = listening.port();
        this.httpsPort = listening.httpsPort();
        this.metricsPort = listening.metricsPort() == null ? -1 : listening.metricsPort();
        this.output = output;
        this.owner = owner;
    }

    /**
     * Takes back the router an earlier {@code up} left running in {@code dir} when it meets
     * {@code wanted}, else stops it and starts one; returns once the router listens.
     */
    static RouterChild startOrAdopt(Path dir, Settings wanted, Consumer<String> say, Consumer<String> output)
            throws IOException, InterruptedException {
        Files.createDirectories(dir);
        FileChannel owner = own(dir);
        try {
            return startOrAdopt(dir, wanted, say, output, owner);
        } catch (IOException | InterruptedException | RuntimeException e) {
            owner.close();
            throw e;
        }
    }

    /**
     * Holds {@code up.lock} for as long as this JVM runs (the system lets go of it when the JVM
     * dies, even by {@code kill -9}): two live {@code up}s never share, or stop, one router.
     */
    private static FileChannel own(Path dir) throws IOException {
        FileChannel lock = FileChannel.open(dir.resolve("up.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        try {
            if (lock.tryLock() == null) {
                throw new IllegalStateException("another `slipway up` runs with the data directory " + dir.getParent()
                        + ": stop it first");
            }
            return lock;
        } catch (OverlappingFileLockException e) {
            lock.close();
            throw new IllegalStateException("this JVM already runs Slipway with the data directory " + dir.getParent(), e);
        } catch (IOException | RuntimeException e) {
            lock.close();
            throw e;
        }
    }

    private static RouterChild startOrAdopt(Path dir, Settings wanted, Consumer<String> say, Consumer<String> output,
                                            FileChannel owner) throws IOException, InterruptedException {
        Path pidFile = dir.resolve("router.pid");
        Path log = dir.resolve("router.log");
        Optional<RouterPidFile> found = RouterPidFile.read(pidFile);
        Optional<ProcessHandle> running = found.flatMap(file -> file.process(pidFile));
        if (running.isPresent()) {
            RouterPidFile left = found.get();
            if (wanted.metBy(left)) {
                say.accept("Router (pid " + left.pid() + ") left running by an earlier `slipway up`: taken back, "
                        + "still serving on " + left.host() + ":" + left.port());
                return new RouterChild(running.get(), left, LogTail.follow(log, true, output), owner);
            }
            say.accept("Router (pid " + left.pid() + ") left running by an earlier `slipway up` on " + left.host() + ":"
                    + left.port() + " with other settings or another build of Slipway: replacing it");
            stop(running.get());
        }
        Files.deleteIfExists(pidFile);
        return start(pidFile, log, wanted, output, owner);
    }

    private static RouterChild start(Path pidFile, Path log, Settings wanted, Consumer<String> output, FileChannel owner)
            throws IOException, InterruptedException {
        // Into a file, not a pipe to this JVM: the router must not depend on this JVM staying alive.
        Process child = new ProcessBuilder(command(pidFile, wanted)).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        LogTail tail = LogTail.follow(log, false, output);
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (true) {
            Optional<RouterPidFile> listening = RouterPidFile.read(pidFile).filter(file -> file.pid() == child.pid());
            if (listening.isPresent()) {
                return new RouterChild(child.toHandle(), listening.get(), tail, owner);
            }
            if (!child.isAlive() || System.nanoTime() > deadline) {
                String why = child.isAlive() ? "did not listen within " + START_TIMEOUT.toSeconds() + " s"
                        : "exited with code " + child.exitValue();
                stop(child.toHandle());
                tail.close();
                throw new IllegalStateException("the router " + why + " (its output: " + log + ")");
            }
            TimeUnit.MILLISECONDS.sleep(100);
        }
    }

    /** {@code slipway router} with this JVM's java and classpath, as {@code up} starts it. */
    static List<String> command(Path pidFile, Settings wanted) {
        List<String> command = new java.util.ArrayList<>(List.of(java(), "-cp", System.getProperty("java.class.path"),
                MAIN_CLASS, "router",
                "--zk", wanted.zk(), "--router-host", wanted.host(), "--router-port", String.valueOf(wanted.port()),
                "--domain", wanted.domain(), "--pid-file", pidFile.toString(),
                "--zk-credentials-file", wanted.zkCredentials().toString(),
                "--api", wanted.api().toString(), "--log-token-file", wanted.logToken().toString()));
        if (wanted.httpsPort() >= 0) {
            command.addAll(List.of("--https-port", String.valueOf(wanted.httpsPort())));
        }
        if (wanted.metricsPort() >= 0) {
            command.addAll(List.of("--metrics-port", String.valueOf(wanted.metricsPort())));
        }
        return List.copyOf(command);
    }

    /** The java this JVM runs on. */
    private static String java() {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        return Files.isExecutable(java) ? java.toString() : ProcessHandle.current().info().command().orElse("java");
    }

    /** Asks the router to stop (SIGTERM), and kills it when it does not within a few seconds. */
    private static void stop(ProcessHandle router) throws InterruptedException {
        router.destroy();
        try {
            router.onExit().get(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            router.destroyForcibly();
            try {
                router.onExit().get(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            } catch (TimeoutException | ExecutionException stuck) {
                throw new IllegalStateException("the router (pid " + router.pid() + ") did not stop", stuck);
            }
        } catch (ExecutionException e) {
            throw new IllegalStateException("while stopping the router (pid " + router.pid() + ")", e);
        }
    }

    /** The port the router listens on. */
    int port() {
        return port;
    }

    /** The port of the router's HTTPS listener, -1 without one. */
    int httpsPort() {
        return httpsPort;
    }

    /** The port of the router's metrics listener (on loopback), -1 without one. */
    int metricsPort() {
        return metricsPort;
    }

    long pid() {
        return process.pid();
    }

    /** Stops the router: a clean stop of {@code up} ends its data plane too. */
    @Override
    public void close() throws InterruptedException, IOException {
        try {
            stop(process);
        } finally {
            output.close();
            owner.close();
        }
    }
}
