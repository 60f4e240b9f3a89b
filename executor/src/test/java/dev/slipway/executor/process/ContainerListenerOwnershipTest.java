package dev.slipway.executor.process;

import static dev.slipway.executor.testing.TaskSpecBuilder.aWebInstance;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.slipway.executor.testing.LoopbackPorts;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A container's boot check knows its own listener from anyone else's (issue 12), on the real Docker engine. */
class ContainerListenerOwnershipTest extends ContainerTestBase {
    private static final String NODE_SERVER = """
            require('http').createServer((q, r) => r.end('hi'))
              .listen(process.env.PORT, '0.0.0.0', () => console.log('listening on ' + process.env.PORT));
            """;

    @TempDir
    Path sandbox;
    private Path appDir;
    private DockerProcessRunner runner;

    @BeforeEach
    void slugAndRunner() throws IOException {
        appDir = Files.createDirectories(sandbox.resolve("app"));
        runner = new DockerProcessRunner(docker, (dyno, channel, line) -> { }, frameworkId, "127.0.0.1",
                HostFirewall.ofThisMachine());
    }

    @Test
    void theListenerOfTheContainersAppIsItsOwn() throws Exception {
        int port = LoopbackPorts.free();
        Files.writeString(appDir.resolve("server.js"), NODE_SERVER);

        RunningProcess process = start(port, "node server.js");

        await().atMost(Duration.ofSeconds(30)).until(() -> process.listenerOn(port)
                instanceof ListenerOwnership.Holder.Instance);
    }

    @Test
    void dockersProxyAcceptingOnThePublishedPortIsNoListenerOfTheApp() throws Exception {
        // Docker's proxy accepts on the published port from the moment the container starts, before
        // (and whether or not) the app listens: only the container's own table tells.
        int port = LoopbackPorts.free();
        RunningProcess process = start(port, "sleep 600");
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> {
            try (Socket probe = new Socket(InetAddress.getLoopbackAddress(), port)) {
                return probe.isConnected();
            }
        });

        assertThat(process.listenerOn(port)).isInstanceOf(ListenerOwnership.Holder.Nobody.class);
    }

    private RunningProcess start(int port, String command) throws IOException {
        return runner.start(new Instance("hello.web.1.v1." + UUID.randomUUID().toString().substring(0, 8),
                aWebInstance(port, 60).image(image).command(command).build(), appDir));
    }

}
