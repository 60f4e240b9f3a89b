package dev.slipway.executor.process;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A stand-in for an address outside this machine (the machine has no Internet): a network
 * namespace joined to the host by a veth pair, routed like any other network, with a TCP listener
 * in it. An instance's outbound connection to it leaves through the bridge, is forwarded and
 * masqueraded, as one to the Internet would be. Needs root and {@code ip}.
 */
final class Outside implements AutoCloseable {
    private static final int PORT = 8099;
    private static final String LISTENER = """
            import java.net.ServerSocket;

            public class Listener {
                public static void main(String[] args) throws Exception {
                    try (ServerSocket server = new ServerSocket(Integer.parseInt(args[0]))) {
                        while (true) {
                            server.accept().close();
                        }
                    }
                }
            }
            """;

    private final String namespace;
    private final String hostSide;
    private final String address;
    private final Process listener;
    private final Path source;

    private Outside(String namespace, String hostSide, String address, Process listener, Path source) {
        this.namespace = namespace;
        this.hostSide = hostSide;
        this.address = address;
        this.listener = listener;
        this.source = source;
    }

    static Outside start() throws Exception {
        int n = ThreadLocalRandom.current().nextInt(1, 250);
        String namespace = "slwt-out-" + n;
        String hostSide = "slwto" + n;
        String inside = "slwti" + n;
        String address = "10.213." + n + ".2";
        ip("netns", "add", namespace);
        ip("link", "add", hostSide, "type", "veth", "peer", "name", inside);
        ip("link", "set", inside, "netns", namespace);
        ip("addr", "add", "10.213." + n + ".1/30", "dev", hostSide);
        ip("link", "set", hostSide, "up");
        ip("-n", namespace, "addr", "add", address + "/30", "dev", inside);
        ip("-n", namespace, "link", "set", inside, "up");
        Path source = Files.createTempFile("Listener", ".java");
        Files.writeString(source, LISTENER);
        String java = ProcessHandle.current().info().command().orElse("java");
        Process listener = new ProcessBuilder(ipTool(), "netns", "exec", namespace, java, source.toString(),
                Integer.toString(PORT)).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        Outside outside = new Outside(namespace, hostSide, address, listener, source);
        await().atMost(Duration.ofSeconds(30)).until(outside::answers);
        return outside;
    }

    /** {@code address:port}. */
    String target() {
        return address + ":" + PORT;
    }

    private boolean answers() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(address, PORT), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public void close() throws Exception {
        listener.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        ip("link", "del", hostSide);
        ip("netns", "del", namespace);
        Files.deleteIfExists(source);
    }

    private static String ipTool() {
        return HostFirewall.tool("ip").orElseThrow().toString();
    }

    private static void ip(String... args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(ipTool());
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes());
        if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + out);
        }
    }
}
