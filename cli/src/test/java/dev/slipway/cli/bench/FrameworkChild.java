package dev.slipway.cli.bench;

import com.sun.management.OperatingSystemMXBean;
import dev.slipway.framework.Framework;
import dev.slipway.framework.FrameworkConfig;
import dev.slipway.framework.mesos.MesosSettings;
import dev.slipway.zk.ZkClient;
import dev.slipway.zk.ZkCredentials;
import dev.slipway.zk.ZkPaths;
import io.vertx.core.Vertx;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;

/**
 * The framework alone in its own JVM, so that the benchmark measures its heap and CPU apart from
 * ZooKeeper, mesos-local and the benchmark's own bookkeeping. Started by {@link BenchStack}; it
 * prints {@code ready <api-url>} once the API listens, then answers each {@code stats} line on its
 * standard input with {@code stats <heap used after a GC> <heap committed> <cpu ns>}, and exits
 * on {@code exit} or when its input closes (so a JFR recording is written on exit). The scheduler
 * thread's wall-clock profile is written beside the data directory on exit
 * ({@code scheduler-wall-clock.txt}).
 *
 * <p>Arguments: ZooKeeper connect string, credentials file, master URL, data directory,
 * buildpacks directory.
 */
public final class FrameworkChild {
    private FrameworkChild() {
    }

    public static void main(String[] args) throws Exception {
        String connect = args[0];
        ZkCredentials credentials = ZkCredentials.load(Path.of(args[1]));
        URI master = URI.create(args[2]);
        Path home = Path.of(args[3]);
        Path buildpacks = Path.of(args[4]);
        CuratorFramework zk = ZkClient.connect(connect, ZkPaths.DEFAULT_CHROOT, credentials.slipway(),
                credentials.acls(), 30);
        Files.createDirectories(home);
        // Simulated agents fetch nothing: the executor jar need only exist.
        Path jar = home.resolve("slipway-executor.jar");
        if (!Files.exists(jar)) {
            Files.createFile(jar);
        }
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        String api = "http://127.0.0.1:" + port;
        FrameworkConfig config = new FrameworkConfig(new MesosSettings(master, "slipway", null, "*", null, api, null,
                null), "127.0.0.1", port, URI.create(api), home, jar, buildpacks, "localhost", 8080, null);
        WallClockSampler.start("slipway-scheduler", home.resolve("../scheduler-wall-clock.txt").normalize());
        Vertx vertx = Vertx.vertx();
        Framework framework = Framework.start(vertx, config, zk, Clock.systemUTC()).await(60, TimeUnit.SECONDS);
        // The bench lists apps with the first admin's token, as `up` stores it for the CLI.
        framework.firstAdminToken().ifPresent(token -> dev.slipway.cli.Credentials.ofThisUser().put(api, token));
        System.out.println("ready " + api);
        System.out.flush();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line = in.readLine(); line != null && !line.equals("exit"); line = in.readLine()) {
            if (line.equals("stats")) {
                System.gc();
                MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
                long cpu = ((OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
                System.out.println("stats " + heap.getUsed() + " " + heap.getCommitted() + " " + cpu);
                System.out.flush();
            }
        }
        framework.close();
        vertx.close().await(10, TimeUnit.SECONDS);
        zk.close();
        System.exit(0);
    }
}
