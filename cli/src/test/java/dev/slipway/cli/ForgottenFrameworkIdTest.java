package dev.slipway.cli;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.slipway.framework.Framework;
import dev.slipway.framework.FrameworkConfig;
import dev.slipway.framework.mesos.MesosSettings;
import dev.slipway.zk.EmbeddedZooKeeper;
import dev.slipway.zk.Instance;
import dev.slipway.zk.InstanceState;
import dev.slipway.zk.InstanceStore;
import dev.slipway.zk.ZkClient;
import dev.slipway.zk.ZkCredentials;
import dev.slipway.zk.ZkPaths;
import io.vertx.core.Vertx;
import java.net.URI;
import java.nio.file.Path;
import java.time.Instant;
import org.apache.curator.framework.CuratorFramework;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ForgottenFrameworkIdTest {
    static final ZkCredentials CREDENTIALS = ZkCredentials.random();

    @TempDir
    Path home;

    @Test
    void theFrameworkRefusesToRegisterAnewWhileInstancesOfTheOldRegistrationRun() {
        Vertx vertx = Vertx.vertx();
        try (EmbeddedZooKeeper server = EmbeddedZooKeeper.start(home.resolve("zk"), 0);
             CuratorFramework zk = ZkClient.connect(server.connectString(), ZkPaths.DEFAULT_CHROOT,
                     CREDENTIALS.slipway(), CREDENTIALS.acls(), 30)) {
            new InstanceStore(zk).put(new Instance("hello.web.1.v1.x", "hello", "web", 1, 1, InstanceState.RUNNING,
                    "agent", "127.0.0.1", 31000, true, "", Instant.now()));
            FrameworkConfig config = new FrameworkConfig(new MesosSettings(URI.create("http://127.0.0.1:1"), null, null,
                    null, null, null, null), "127.0.0.1", 0, URI.create("http://127.0.0.1:1"), home.resolve("fw"),
                    EndToEndTest.EXECUTOR_JAR, EndToEndTest.BUILDPACKS, null, 8080, null);

            assertThatThrownBy(() -> Framework.start(vertx, config, zk, java.time.Clock.systemUTC()))
                    .hasMessageContaining("no framework id").hasMessageContaining("orphan");
        } finally {
            vertx.close();
        }
    }
}
