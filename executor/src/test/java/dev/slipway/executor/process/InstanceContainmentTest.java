package dev.slipway.executor.process;

import static dev.slipway.executor.testing.TaskSpecBuilder.aWebInstance;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Network;
import dev.slipway.docker.DockerEngine;
import dev.slipway.executor.task.TaskSpec;
import dev.slipway.executor.testing.LoopbackPorts;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12's attack from inside a container instance: connecting to the control plane on the host
 * (stand-ins for {@code :7070}, {@code :5050}, {@code :5051}, {@code :2181}, on loopback and on every
 * address) and to another instance, by its published port and by its own address. Real Docker, the
 * real {@link InstanceNetwork} and, as root, the real {@link HostFirewall} rule.
 */
class InstanceContainmentTest extends ContainerTestBase {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String NODE_SERVER = """
            require('http').createServer((q, r) => r.end('hi ' + process.env.DYNO))
              .listen(process.env.PORT, '0.0.0.0', () => console.log('listening on ' + process.env.PORT));
            """;

    @TempDir
    Path sandbox;
    private final List<String> stdout = Collections.synchronizedList(new ArrayList<>());
    private final List<AutoCloseable> cleanUp = new ArrayList<>();
    private int taskCount;

    @AfterEach
    void closeTheTestsListeners() throws Exception {
        for (AutoCloseable closeable : cleanUp) {
            closeable.close();
        }
    }

    // --- scenario ---

    /** A web instance answering on its port, published on {@code publishIp}; awaited until it answers. */
    private Started aWebInstanceAnswering(String publishIp) throws Exception {
        int port = LoopbackPorts.free();
        Path appDir = Files.createDirectories(sandbox.resolve("app-" + (++taskCount)));
        Files.writeString(appDir.resolve("server.js"), NODE_SERVER);
        TaskSpec spec = aWebInstance(port, 60).index(taskCount).image(image).command("node server.js").build();
        DockerProcessRunner runner = new DockerProcessRunner(docker,
                (dyno, channel, line) -> stdout.add(dyno + ": " + line), frameworkId, publishIp,
                HostFirewall.ofThisMachine());
        Instance instance = new Instance("hello." + spec.dyno() + "." + UUID.randomUUID(), spec, appDir);
        RunningProcess process = runner.start(instance);
        await().atMost(WAIT).until(() -> stdout.contains(spec.dyno() + ": listening on " + port));
        String ip = docker.inspectContainerCmd(DockerProcessRunner.containerName(instance)).exec()
                .getNetworkSettings().getNetworks().get(InstanceNetwork.NAME).getIpAddress();
        return new Started(process, appDir, port, ip);
    }

    private record Started(RunningProcess process, Path appDir, int port, String ip) {
    }

    /** A listener of this host, as the API, mesos-local or ZooKeeper are: backlog only, nothing accepted. */
    private int hostListener(String address) throws IOException {
        ServerSocket server = new ServerSocket();
        server.bind(new InetSocketAddress(address, 0), 50);
        cleanUp.add(server);
        return server.getLocalPort();
    }

    /**
     * Which of {@code targets} ({@code address:port}) a TCP connection from inside the instance
     * reaches, tried at once, two seconds each; the results go through the instance's {@code /app}.
     */
    private static Map<String, Boolean> reachableFrom(Started instance, List<String> targets) throws Exception {
        String tries = targets.stream().map(target -> "(if timeout 2 bash -c 'exec 3<>/dev/tcp/" + target.replace(':',
                        '/') + "' 2>/dev/null; then echo '" + target + " open'; else echo '" + target + " closed'; fi) & ")
                .collect(Collectors.joining());
        ExitStatus status = instance.process().exec("{ " + tries + "wait; } > /app/reached.txt", Duration.ofSeconds(20));
        assertThat(status.success()).isTrue();
        Map<String, Boolean> reached = new LinkedHashMap<>();
        for (String line : Files.readAllLines(instance.appDir().resolve("reached.txt"))) {
            String[] parts = line.split(" ");
            reached.put(parts[0], parts[1].equals("open"));
        }
        assertThat(reached).containsOnlyKeys(targets);
        return reached;
    }

    /** The bridge's gateway, and every IPv4 address of this host but loopback: where the host is seen. */
    private static List<String> hostAddresses() throws IOException {
        List<String> addresses = new ArrayList<>();
        Network network = docker.inspectNetworkCmd().withNetworkId(InstanceNetwork.NAME).exec();
        addresses.add(network.getIpam().getConfig().get(0).getGateway());
        for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            for (InetAddress address : Collections.list(nic.getInetAddresses())) {
                if (address instanceof Inet4Address && !address.isLoopbackAddress()
                        && !addresses.contains(address.getHostAddress())) {
                    addresses.add(address.getHostAddress());
                }
            }
        }
        return addresses;
    }

    private static List<String> targets(List<String> addresses, int... ports) {
        List<String> targets = new ArrayList<>();
        for (String address : addresses) {
            for (int port : ports) {
                targets.add(address + ":" + port);
            }
        }
        return targets;
    }

    private static void assumeTheFirewall() {
        assumeTrue(HostFirewall.ofThisMachine().enforced(),
                "the host firewall rule needs root and iptables (docs/security.md)");
    }

    // --- the control plane ---

    @Test
    void anInstanceGetsNoConnectionToTheHostsServicesOnAnyAddress() throws Exception {
        assumeTheFirewall();
        int onLoopback = hostListener("127.0.0.1");
        int onEveryAddress = hostListener("0.0.0.0");
        Started instance = aWebInstanceAnswering("127.0.0.1");

        List<String> targets = targets(hostAddresses(), onLoopback, onEveryAddress);
        targets.add("127.0.0.1:" + onLoopback);
        targets.add("127.0.0.1:" + onEveryAddress);
        Map<String, Boolean> reached = reachableFrom(instance, targets);

        assertThat(reached).as("from inside the instance").allSatisfy((target, open) ->
                assertThat(open).as(target).isFalse());
        assertThat(reachableFrom(instance, List.of("127.0.0.1:" + instance.port())))
                .as("the same probe reaches the instance's own listener").containsValue(true);
        try (Socket fromHost = new Socket()) {
            fromHost.connect(new InetSocketAddress("127.0.0.1", onEveryAddress), 2000);
        }
    }

    @Test
    void aResolverOnTheHostStaysReachableForDns() throws Exception {
        assumeTheFirewall();
        Started instance = aWebInstanceAnswering("127.0.0.1");
        String gateway = hostAddresses().get(0);
        // A TCP stand-in for a DNS server on the bridge's gateway: the rule lets port 53 through.
        ServerSocket dns = new ServerSocket();
        dns.bind(new InetSocketAddress(gateway, 53), 50);
        cleanUp.add(dns);

        assertThat(reachableFrom(instance, List.of(gateway + ":53"))).containsEntry(gateway + ":53", true);
    }

    // --- other instances ---

    @Test
    void anInstanceGetsNoConnectionToAnotherInstanceByItsPublishedPortOrItsAddress() throws Exception {
        assumeTheFirewall();
        Started one = aWebInstanceAnswering("127.0.0.1");
        Started onLoopback = aWebInstanceAnswering("127.0.0.1");
        // As on a cluster's agent: published on every address of the host.
        Started onEveryAddress = aWebInstanceAnswering("0.0.0.0");

        List<String> targets = targets(hostAddresses(), onLoopback.port(), onEveryAddress.port());
        targets.add("127.0.0.1:" + onLoopback.port());
        targets.add("127.0.0.1:" + onEveryAddress.port());
        targets.add(onLoopback.ip() + ":" + onLoopback.port());
        targets.add(onEveryAddress.ip() + ":" + onEveryAddress.port());
        Map<String, Boolean> reached = reachableFrom(one, targets);

        assertThat(reached).as("from inside one instance").allSatisfy((target, open) ->
                assertThat(open).as(target).isFalse());
        assertThat(get("127.0.0.1", onLoopback.port())).isEqualTo("hi web.2");
        assertThat(get("127.0.0.1", onEveryAddress.port())).isEqualTo("hi web.3");
    }

    @Test
    void theRouterAndTheHealthChecksOnTheHostReachTheInstanceOnItsPublishedPort() throws Exception {
        Started instance = aWebInstanceAnswering("127.0.0.1");

        assertThat(get("127.0.0.1", instance.port())).isEqualTo("hi web.1");
        assertThat(new TcpProbeTarget(instance.port()).accepts()).isTrue();
    }

    @Test
    void anInstancePublishedOnLoopbackIsNotReachableOnTheHostsOtherAddresses() throws Exception {
        Started instance = aWebInstanceAnswering("127.0.0.1");

        for (String address : hostAddresses()) {
            assertThat(new TcpProbeTarget(address, instance.port()).accepts()).as(address).isFalse();
        }
    }

    // --- outbound ---

    @Test
    void anInstanceKeepsItsOutboundConnections() throws Exception {
        assumeTrue(Root.isThisProcess() && HostFirewall.tool("ip").isPresent(), "needs root and ip(8)");
        Outside outside = Outside.start();
        cleanUp.add(outside);
        Started instance = aWebInstanceAnswering("127.0.0.1");

        assertThat(reachableFrom(instance, List.of(outside.target()))).containsEntry(outside.target(), true);
    }

    // --- the network ---

    @Test
    void executorsMakingTheNetworkAtOnceMakeOneAndAllGetIt() throws Exception {
        String name = "slipway-test-" + UUID.randomUUID().toString().substring(0, 8);
        String bridge = "slwt" + name.substring(name.length() - 8);
        int makers = 4;
        List<DockerClient> clients = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(makers);
        try {
            List<Callable<String>> calls = new ArrayList<>();
            for (int i = 0; i < makers; i++) {
                DockerClient client = DockerEngine.find().orElseThrow();
                clients.add(client);
                calls.add(() -> InstanceNetwork.findOrCreate(client, name, bridge));
            }
            List<String> ids = new ArrayList<>();
            for (Future<String> id : pool.invokeAll(calls)) {
                ids.add(id.get(60, TimeUnit.SECONDS));
            }

            List<Network> named = docker.listNetworksCmd().withNameFilter(name).exec().stream()
                    .filter(n -> n.getName().equals(name)).toList();
            assertThat(named).singleElement().satisfies(network -> {
                assertThat(ids).containsOnly(network.getId());
                assertThat(network.getOptions()).containsEntry("com.docker.network.bridge.enable_icc", "false")
                        .containsEntry("com.docker.network.bridge.name", bridge);
            });
        } finally {
            pool.shutdownNow();
            clients.forEach(DockerEngine::close);
            docker.listNetworksCmd().withNameFilter(name).exec().stream().filter(n -> n.getName().equals(name))
                    .forEach(n -> docker.removeNetworkCmd(n.getId()).exec());
        }
    }

    @Test
    void theFirewallRuleIsPutInPlaceOnceHoweverOftenItIsAskedFor() throws Exception {
        assumeTheFirewall();
        HostFirewall firewall = HostFirewall.ofThisMachine();

        firewall.guard(InstanceNetwork.BRIDGE);
        firewall.guard(InstanceNetwork.BRIDGE);
        InstanceNetwork.ensure(docker, HostFirewall.ofThisMachine());

        assertThat(iptables("-S", "INPUT")).filteredOn(line -> line.contains(HostFirewall.CHAIN))
                .containsExactly("-A INPUT -i " + InstanceNetwork.BRIDGE + " -j " + HostFirewall.CHAIN);
        assertThat(iptables("-S", HostFirewall.CHAIN)).hasSize(5).last().isEqualTo("-A " + HostFirewall.CHAIN
                + " -j DROP");
    }

    // --- helpers ---

    private static List<String> iptables(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(HostFirewall.tool("iptables").orElseThrow().toString(), "-w"));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return out.lines().toList();
    }

    private static String get(String host, int port) throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        return http.send(HttpRequest.newBuilder(URI.create("http://" + host + ":" + port + "/"))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    /** A TCP connect as the executor's check makes it, to an address of this host. */
    private record TcpProbeTarget(String address, int port) {
        TcpProbeTarget(int port) {
            this("127.0.0.1", port);
        }

        boolean accepts() {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(address, port), 2000);
                return true;
            } catch (IOException e) {
                return false;
            }
        }
    }
}
