package dev.slipway.cli.bench;

import dev.slipway.mesoslocal.MesosLocal;
import dev.slipway.mesoslocal.MesosLocalConfig;
import dev.slipway.mesoslocal.MesosLocalFlags;
import dev.slipway.mesoslocal.SimulatedAgents;
import dev.slipway.zk.EmbeddedZooKeeper;
import dev.slipway.zk.ZkClient;
import dev.slipway.zk.ZkCredentials;
import dev.slipway.zk.ZkPaths;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;

/**
 * What the benchmark runs against: an embedded ZooKeeper and mesos-local with simulated agents in
 * this JVM, and the framework in a child JVM ({@link FrameworkChild}) whose heap and CPU are its own.
 */
final class BenchStack implements AutoCloseable {
    /** The framework's heap (used after a full GC, and committed) and the CPU its process has used. */
    record Stats(long heapUsed, long heapCommitted, long cpuNanos) {
    }

    private final EmbeddedZooKeeper zooKeeper;
    private final CuratorFramework zk;
    private final MesosLocal mesos;
    private final Process framework;
    private final BufferedReader fromFramework;
    private final PrintWriter toFramework;
    private final String api;

    private BenchStack(EmbeddedZooKeeper zooKeeper, CuratorFramework zk, MesosLocal mesos, Process framework,
            BufferedReader fromFramework, PrintWriter toFramework, String api) {
        this.zooKeeper = zooKeeper;
        this.zk = zk;
        this.mesos = mesos;
        this.framework = framework;
        this.fromFramework = fromFramework;
        this.toFramework = toFramework;
        this.api = api;
    }

    /**
     * Starts everything under {@code home}; {@code jvmOptions} go to the framework's JVM (a heap
     * size, a JFR recording). Returns once the framework's API listens.
     */
    static BenchStack start(Path home, SimulatedAgents agents, Path buildpacks, List<String> jvmOptions)
            throws IOException {
        EmbeddedZooKeeper zooKeeper = EmbeddedZooKeeper.start(home.resolve("zk"), 0);
        Path credentialsFile = home.resolve("zk-credentials");
        ZkCredentials credentials = ZkCredentials.loadOrCreate(credentialsFile);
        CuratorFramework zk = ZkClient.connect(zooKeeper.connectString(), ZkPaths.DEFAULT_CHROOT,
                credentials.slipway(), credentials.acls(), 30);
        MesosLocal mesos = MesosLocal.start(MesosLocalConfig.defaults(home.resolve("mesos")),
                MesosLocalFlags.defaults(), agents);
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.addAll(jvmOptions);
        command.add("-Dcom.google.protobuf.use_unsafe_pre22_gencode=true");
        command.add("-Dlogback.configurationFile=" + BenchStack.class.getResource("/bench/framework-logback.xml"));
        command.add("-Dslipway.bench.log=" + home.resolve("framework.log"));
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(FrameworkChild.class.getName());
        command.add(zooKeeper.connectString());
        command.add(credentialsFile.toString());
        command.add(mesos.masterUri().toString());
        command.add(home.resolve("framework").toString());
        command.add(buildpacks.toString());
        Process process = new ProcessBuilder(command).redirectError(home.resolve("framework.err").toFile()).start();
        BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        PrintWriter out = new PrintWriter(process.getOutputStream(), true, StandardCharsets.UTF_8);
        // The JVM may print first (a JFR recording says it started): skip to the answer.
        String ready = answer(in, "ready ");
        if (ready == null) {
            process.destroyForcibly();
            throw new IllegalStateException("the framework did not start (see " + home.resolve("framework.err")
                    + ")");
        }
        return new BenchStack(zooKeeper, zk, mesos, process, in, out, ready.substring("ready ".length()));
    }

    CuratorFramework zk() {
        return zk;
    }

    String api() {
        return api;
    }

    /** Asks the framework for its heap (after a GC) and CPU time. */
    Stats stats() throws IOException {
        toFramework.println("stats");
        String line = answer(fromFramework, "stats ");
        if (line == null) {
            throw new IllegalStateException("the framework ended");
        }
        String[] answer = line.split(" ");
        return new Stats(Long.parseLong(answer[1]), Long.parseLong(answer[2]), Long.parseLong(answer[3]));
    }

    private static String answer(BufferedReader in, String prefix) throws IOException {
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            if (line.startsWith(prefix)) {
                return line;
            }
        }
        return null;
    }

    @Override
    public void close() throws Exception {
        toFramework.println("exit");
        if (!framework.waitFor(60, TimeUnit.SECONDS)) {
            framework.destroyForcibly();
        }
        mesos.close();
        zk.close();
        zooKeeper.close();
    }
}
