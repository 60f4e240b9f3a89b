package dev.slipway.executor.process;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Network;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Docker bridge network Slipway's instances run on ({@link #NAME}, bridge interface
 * {@link #BRIDGE}, a subnet the engine picks): each instance in its own network namespace, no
 * traffic between two containers on it ({@code com.docker.network.bridge.enable_icc=false}), the
 * instance's port published on the host, and outbound traffic masqueraded as usual. What Docker
 * cannot forbid, a container reaching the host itself through the bridge, {@link HostFirewall}
 * forbids.
 *
 * <p>Made by the first executor that needs it and found by the others. Executors of one machine
 * make it one at a time (a lock file beside the JVM's temporary files), and a network made by
 * another meanwhile (the engine's conflict) is found instead: Docker 20.10 does not refuse two
 * networks of one name by itself, but it does refuse a second bridge called {@link #BRIDGE}.
 */
public final class InstanceNetwork {
    /** The network's name, as {@code docker network ls} shows it. */
    public static final String NAME = "slipway";
    /** Its bridge interface on the host: the firewall rule names it. */
    public static final String BRIDGE = "slipway0";
    static final String ICC_OPTION = "com.docker.network.bridge.enable_icc";
    static final String BRIDGE_OPTION = "com.docker.network.bridge.name";
    static final String LABEL = "dev.slipway.network";
    private static final Path LOCK_FILE = Path.of(System.getProperty("java.io.tmpdir"), "slipway-network.lock");
    /** One maker per JVM at a time: a file lock held by this JVM cannot be taken again by it. */
    private static final Object IN_THIS_JVM = new Object();
    private static final Logger LOG = LoggerFactory.getLogger(InstanceNetwork.class);
    /** How long a network another maker is making may take to be listed once its bridge refuses ours. */
    private static final Duration LISTED_WITHIN = Duration.ofSeconds(5);

    private InstanceNetwork() {
    }

    /**
     * The network's id, made when missing, with the host's firewall rule put in place (again)
     * whatever it finds.
     *
     * @throws IOException when the engine refuses, or a network called {@link #NAME} exists that
     *                     is not a bridge keeping its containers apart (the message says how to fix it)
     */
    public static String ensure(DockerClient docker, HostFirewall firewall) throws IOException {
        synchronized (IN_THIS_JVM) {
            try (MachineLock lock = MachineLock.take()) {
                String id = findOrCreate(docker, NAME, BRIDGE);
                firewall.guard(BRIDGE);
                return id;
            }
        }
    }

    /**
     * The id of the network {@code name} with the bridge {@code bridge}, made when missing; without
     * the locks, so that tests can race makers on the engine's own checks.
     */
    static String findOrCreate(DockerClient docker, String name, String bridge) throws IOException {
        Optional<Network> found = find(docker, name);
        if (found.isPresent()) {
            return checked(found.get(), bridge);
        }
        try {
            String id = docker.createNetworkCmd()
                    .withName(name)
                    .withDriver("bridge")
                    .withCheckDuplicate(true)
                    .withOptions(Map.of(BRIDGE_OPTION, bridge, ICC_OPTION, "false"))
                    .withLabels(Map.of(LABEL, "instances"))
                    .exec()
                    .getId();
            LOG.info("made the Docker network {} (bridge {}; containers on it cannot reach each other) for instances",
                    name, bridge);
            return id;
        } catch (ConflictException e) {
            // Another executor, on another JVM without the lock file, made it meanwhile.
            LOG.debug("the network {} was made meanwhile: {}", name, e.getMessage());
        } catch (RuntimeException e) {
            // The bridge made meanwhile by another ("networks have same bridge name"), or a real failure.
            // The engine holds the other's bridge before it lists the other's network: wait for it a while.
            Optional<Network> meanwhile = awaitListed(docker, name);
            if (meanwhile.isEmpty()) {
                throw new IOException("cannot make the Docker network " + name + " for instances: " + e.getMessage(), e);
            }
            return checked(meanwhile.get(), bridge);
        }
        return checked(find(docker, name).orElseThrow(() -> new IOException("the Docker network " + name
                + " was reported made by another, but is not there")), bridge);
    }

    /**
     * The network called exactly {@code name} once the engine lists it, or empty after
     * {@link #LISTED_WITHIN}: a network another maker is making is refused to this one (its bridge is
     * taken) a moment before the engine lists it.
     */
    private static Optional<Network> awaitListed(DockerClient docker, String name) throws IOException {
        long deadline = System.nanoTime() + LISTED_WITHIN.toNanos();
        while (true) {
            Optional<Network> found = find(docker, name);
            if (found.isPresent() || System.nanoTime() - deadline >= 0) {
                return found;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return found;
            }
        }
    }

    /** The network called exactly {@code name}; the oldest made, should there be several. */
    private static Optional<Network> find(DockerClient docker, String name) throws IOException {
        List<Network> networks;
        try {
            // The engine's name filter matches substrings too: the exact name is checked here.
            networks = docker.listNetworksCmd().withNameFilter(name).exec();
        } catch (NotFoundException e) {
            return Optional.empty();
        } catch (RuntimeException e) {
            throw new IOException("cannot list the Docker engine's networks: " + e.getMessage(), e);
        }
        return networks.stream().filter(n -> name.equals(n.getName()))
                .min(Comparator.comparing((Network n) -> n.getCreated() == null ? 0L : n.getCreated().getTime())
                        .thenComparing(Network::getId));
    }

    /** The network's id, once it is known to keep containers apart. */
    private static String checked(Network network, String bridge) throws IOException {
        String name = network.getName();
        Map<String, String> options = network.getOptions() == null ? Map.of() : network.getOptions();
        if (!"bridge".equals(network.getDriver()) || !"false".equals(options.get(ICC_OPTION))) {
            throw new IOException("the Docker network " + name + " exists but is not a bridge that keeps its "
                    + "containers apart (driver " + network.getDriver() + ", " + ICC_OPTION + "="
                    + options.get(ICC_OPTION) + "): remove it (docker network rm " + name
                    + ") and Slipway makes its own");
        }
        if (!bridge.equals(options.get(BRIDGE_OPTION))) {
            LOG.warn("the Docker network {} has the bridge {}, not {}: the host firewall rule does not cover it "
                    + "(remove the network, docker network rm {}, and Slipway makes its own)", name,
                    options.get(BRIDGE_OPTION), bridge, name);
        }
        return network.getId();
    }

    /** The lock file, held by one maker of the machine at a time; nothing when it cannot be had. */
    private record MachineLock(FileChannel channel, FileLock lock) implements AutoCloseable {
        static MachineLock take() {
            try {
                FileChannel channel = FileChannel.open(LOCK_FILE, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                try {
                    return new MachineLock(channel, channel.lock());
                } catch (IOException | RuntimeException e) {
                    channel.close();
                    throw e;
                }
            } catch (IOException e) {
                // Another user's file, say: the engine's conflict still keeps the network single.
                LOG.info("not locking {} ({}): making the network {} without it", LOCK_FILE, e.getMessage(), NAME);
                return new MachineLock(null, null);
            }
        }

        @Override
        public void close() {
            if (channel == null) {
                return;
            }
            try {
                lock.release();
                channel.close();
            } catch (IOException e) {
                LOG.debug("releasing {}: {}", LOCK_FILE, e.getMessage());
            }
        }
    }
}
