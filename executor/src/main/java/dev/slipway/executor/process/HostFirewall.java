package dev.slipway.executor.process;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The host's side of the instances' network: Docker keeps containers on a bridge apart from each
 * other, but lets each reach the host itself through the bridge (its gateway address, the host's
 * other addresses), and with it every service bound to {@code 0.0.0.0}: the API, mesos-local, ZooKeeper,
 * other apps' published ports (through docker-proxy). This rule set refuses that: in the filter
 * table's {@code INPUT}, what comes in on the bridge jumps to {@link #CHAIN}, which accepts replies
 * (established, related) and DNS (port 53, for a resolver on the host) and drops everything else.
 * Forwarded traffic (the instance's outbound connections) never passes {@code INPUT}, and the
 * host's own connections to the instance's published port come back as replies.
 *
 * <p>Put in place with {@code iptables} when this process is root and the tool is there; each rule
 * is checked before it is added, so that doing it again (every container start: a reboot or a
 * firewall reload drops them) changes nothing. When it cannot, it says so in a warning, once per
 * process: instances can then reach whatever listens on the host's non-loopback addresses.
 * IPv6 needs no rule: Docker disables it in containers of a network made without it.
 */
public final class HostFirewall {
    /** The chain holding the rules, as {@code iptables -S} shows it. */
    public static final String CHAIN = "SLIPWAY-INSTANCES";
    private static final List<List<String>> RULES = List.of(
            List.of("-m", "conntrack", "--ctstate", "RELATED,ESTABLISHED", "-j", "ACCEPT"),
            List.of("-p", "udp", "--dport", "53", "-j", "ACCEPT"),
            List.of("-p", "tcp", "--dport", "53", "-j", "ACCEPT"),
            List.of("-j", "DROP"));
    private static final List<Path> SYSTEM_DIRS = List.of(Path.of("/usr/sbin"), Path.of("/sbin"));
    private static final long TIMEOUT_SECONDS = 30;
    private static final Logger LOG = LoggerFactory.getLogger(HostFirewall.class);

    private final Path iptables;
    private final String missing;
    private boolean warned;

    private HostFirewall(Path iptables, String missing) {
        this.iptables = iptables;
        this.missing = missing;
    }

    /** The firewall of this machine: with iptables when this process is root and finds it. */
    public static HostFirewall ofThisMachine() {
        if (!Root.isThisProcess()) {
            return new HostFirewall(null, "the executor does not run as root");
        }
        return tool("iptables").map(path -> new HostFirewall(path, null))
                .orElseGet(() -> new HostFirewall(null, "there is no iptables on this machine"));
    }

    /** A firewall that puts no rule in place, saying why (tests, and machines that want none). */
    public static HostFirewall none(String why) {
        return new HostFirewall(null, why);
    }

    /** Whether the rules can be put in place here. */
    public boolean enforced() {
        return iptables != null;
    }

    /**
     * Puts the rules in place for {@code bridge}, unless they are there already. Never throws: a
     * rule that cannot be added is a warning, as instances still run without it.
     */
    public synchronized void guard(String bridge) {
        if (iptables == null) {
            warnOnce(missing);
            return;
        }
        try {
            if (run("-n", "-L", CHAIN) != 0) {
                require(run("-N", CHAIN), "make the chain " + CHAIN);
            }
            if (!complete()) {
                require(run("-F", CHAIN), "empty the chain " + CHAIN);
                for (List<String> rule : RULES) {
                    require(run(concat(List.of("-A", CHAIN), rule)), "add " + String.join(" ", rule) + " to " + CHAIN);
                }
                LOG.info("iptables: {} drops connections from instances to this host, but for DNS", CHAIN);
            }
            List<String> jump = List.of("INPUT", "-i", bridge, "-j", CHAIN);
            if (run(concat(List.of("-C"), jump)) != 0) {
                require(run(concat(List.of("-I"), jump)), "send what comes in on " + bridge + " to " + CHAIN);
                LOG.info("iptables: what instances send to this host through {} goes to {}", bridge, CHAIN);
            }
        } catch (IOException e) {
            warnOnce("iptables failed: " + e.getMessage());
        }
    }

    /** Whether the chain holds exactly the rules, in order. */
    private boolean complete() throws IOException {
        for (List<String> rule : RULES) {
            if (run(concat(List.of("-C", CHAIN), rule)) != 0) {
                return false;
            }
        }
        // -S lists "-N CHAIN" and then one line per rule: more than RULES means duplicates or strays.
        return listed() == RULES.size() + 1;
    }

    private int listed() throws IOException {
        Process process = start(List.of("-S", CHAIN));
        try {
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            await(process);
            return (int) out.lines().filter(line -> !line.isBlank()).count();
        } finally {
            process.destroyForcibly();
        }
    }

    private void warnOnce(String why) {
        if (!warned) {
            warned = true;
            LOG.warn("INSTANCES CAN REACH THIS HOST: {}, so no firewall rule keeps containers on the bridge {} from "
                    + "connecting to services on this host's non-loopback addresses (API, Mesos, ZooKeeper, other "
                    + "apps' ports). Run the executor as root with iptables, or add the rule by hand "
                    + "(docs/security.md, \"Instances: their own network, their own processes\")", why,
                    InstanceNetwork.BRIDGE);
        }
    }

    private int run(String... args) throws IOException {
        return run(List.of(args));
    }

    private int run(List<String> args) throws IOException {
        Process process = start(args);
        try {
            process.getInputStream().readAllBytes();
            return await(process);
        } finally {
            process.destroyForcibly();
        }
    }

    private Process start(List<String> args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(iptables.toString());
        // Waits for the xtables lock rather than failing beside Docker's own changes.
        command.add("-w");
        command.addAll(args);
        return new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    }

    private static int await(Process process) throws IOException {
        try {
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                throw new IOException("iptables did not answer within " + TIMEOUT_SECONDS + " s");
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running iptables", e);
        }
    }

    private static void require(int code, String what) throws IOException {
        if (code != 0) {
            throw new IOException("cannot " + what + " (exit " + code + ")");
        }
    }

    private static List<String> concat(List<String> head, List<String> tail) {
        return Stream.concat(head.stream(), tail.stream()).toList();
    }

    /** {@code name} in the PATH, else in /usr/sbin or /sbin (an agent's PATH may leave them out). */
    static Optional<Path> tool(String name) {
        String path = System.getenv().getOrDefault("PATH", "");
        Stream<Path> dirs = Stream.concat(Stream.of(path.split(":")).filter(d -> !d.isBlank()).map(Path::of),
                SYSTEM_DIRS.stream());
        return dirs.map(dir -> dir.resolve(name)).filter(Files::isExecutable).findFirst();
    }
}
