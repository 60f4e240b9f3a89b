package dev.slipway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.mesoslocal.MesosLocal;
import dev.slipway.mesoslocal.MesosLocalConfig;
import dev.slipway.zk.EmbeddedZooKeeper;
import dev.slipway.zk.ZkClient;
import dev.slipway.zk.ZkCredential;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.CreateMode;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The framework finds the leading master through ZooKeeper, as with a real Mesos cluster. */
class MasterDiscoveryTest {
    @TempDir
    Path home;

    @Test
    void theFrameworkSubscribesToTheMasterRegisteredInZooKeeper() throws Exception {
        MesosLocalConfig d = MesosLocalConfig.defaults(home.resolve("mesos"));
        try (EmbeddedZooKeeper zooKeeper = EmbeddedZooKeeper.start(home.resolve("zk"), 0);
             MesosLocal mesos = MesosLocal.start(new MesosLocalConfig(d.host(), 0, 0, d.workDir(), d.cpus(), d.memMb(),
                     d.diskMb(), d.portsBegin(), d.portsEnd(), d.hostname()));
             CuratorFramework zk = ZkClient.connectToRead(zooKeeper.connectString(), "/mesos",
                     Optional.of(ZkCredential.digest("mesos", "s3cret")), 30)) {
            // What a Mesos 1.11 master writes when it is elected.
            String info = "{\"address\":{\"hostname\":\"127.0.0.1\",\"ip\":\"127.0.0.1\",\"port\":"
                    + mesos.masterUri().getPort() + "},\"id\":\"m1\",\"port\":" + mesos.masterUri().getPort() + "}";
            zk.create().withMode(CreateMode.EPHEMERAL_SEQUENTIAL).forPath("/json.info_", info.getBytes(StandardCharsets.UTF_8));

            // The embedded server wants a digest credential: Mesos's own form gives it in the URL.
            URI master = URI.create("zk://mesos:s3cret@" + zooKeeper.connectString() + "/mesos");
            LocalSlipway.Options tests = LocalSlipway.Options.forTests(home.resolve("slipway"),
                    EndToEndTest.EXECUTOR_JAR, EndToEndTest.BUILDPACKS);
            try (LocalSlipway slipway = LocalSlipway.start(new LocalSlipway.Options(tests.home(),
                    new LocalSlipway.ZooKeeperOptions(zooKeeper.connectString(), 0),
                    new LocalSlipway.MesosOptions(master, 0, 0, false), tests.api(), tests.router(), tests.builds()),
                    line -> { })) {
                HttpClient http = HttpClient.newHttpClient();
                Awaitility.await().atMost(30, TimeUnit.SECONDS).until(() -> http.send(
                        HttpRequest.newBuilder(slipway.api().resolve("/ready")).build(),
                        HttpResponse.BodyHandlers.ofString()).body().contains("\"subscribed\""));
            }
        }
    }
}
