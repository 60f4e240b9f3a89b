package dev.slipway.mesoslocal;

import com.sun.management.OperatingSystemMXBean;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Where mesos-local listens and what its one agent offers.
 *
 * @param host address both servers bind to, and executors reach the agent at (127.0.0.1)
 * @param masterPort scheduler API port (5050; 0 picks a free one)
 * @param agentPort executor API port (5051; 0 picks a free one)
 * @param workDir the agent's work directory: sandboxes go under {@code slaves/}
 * @param cpus cpus the agent offers
 * @param memMb memory the agent offers, in MB
 * @param diskMb disk the agent offers, in MB
 * @param portsBegin first port of the offered range (31000)
 * @param portsEnd last port of the offered range (32000)
 * @param hostname the agent's hostname in offers and agent info
 */
public record MesosLocalConfig(String host, int masterPort, int agentPort, Path workDir, double cpus, long memMb,
        long diskMb, int portsBegin, int portsEnd, String hostname) {

    public MesosLocalConfig {
        Objects.requireNonNull(workDir, "mesos-local: workDir must be set");
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("mesos-local: host must be set");
        }
        if (hostname == null || hostname.isBlank()) {
            throw new IllegalArgumentException("mesos-local: hostname must be set");
        }
        checkPort("masterPort", masterPort);
        checkPort("agentPort", agentPort);
        if (masterPort != 0 && masterPort == agentPort) {
            throw new IllegalArgumentException("mesos-local: masterPort and agentPort are both " + masterPort);
        }
        if (!(cpus > 0) || Double.isInfinite(cpus)) {
            throw new IllegalArgumentException("mesos-local: cpus must be above 0, was " + cpus);
        }
        if (memMb <= 0) {
            throw new IllegalArgumentException("mesos-local: memMb must be above 0, was " + memMb);
        }
        if (diskMb < 0) {
            throw new IllegalArgumentException("mesos-local: diskMb must not be negative, was " + diskMb);
        }
        if (portsBegin < 1 || portsEnd > 65535 || portsBegin > portsEnd) {
            throw new IllegalArgumentException("mesos-local: the port range " + portsBegin + "-" + portsEnd
                    + " must lie within 1-65535 and not be inverted");
        }
    }

    /**
     * 127.0.0.1 on ports 5050 and 5051, offering 31000-32000 and what this machine has, as a Mesos
     * agent computes it: every cpu, memory less 1 GB (half of it below 2 GB), and the work
     * directory's disk less 5 GB (half of it below 10 GB).
     */
    public static MesosLocalConfig defaults(Path workDir) {
        int cpus = Runtime.getRuntime().availableProcessors();
        long totalMemMb = ((OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getTotalMemorySize()
                / (1024 * 1024);
        long memMb = totalMemMb >= 2048 ? totalMemMb - 1024 : Math.max(1, totalMemMb / 2);
        long totalDiskMb = diskOf(workDir) / (1024 * 1024);
        long diskMb = totalDiskMb >= 10 * 1024 ? totalDiskMb - 5 * 1024 : totalDiskMb / 2;
        return new MesosLocalConfig("127.0.0.1", 5050, 5051, workDir, cpus, memMb, diskMb, 31000, 32000,
                "127.0.0.1");
    }

    private static long diskOf(Path workDir) {
        Path existing = workDir.toAbsolutePath();
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        try {
            return existing == null ? 0 : Files.getFileStore(existing).getTotalSpace();
        } catch (IOException e) {
            return 0;
        }
    }

    private static void checkPort(String name, int port) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("mesos-local: " + name + " must be 0-65535, was " + port);
        }
    }
}
