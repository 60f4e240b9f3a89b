package dev.slipway.zk;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.CreateMode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MesosMastersTest {
    @TempDir
    static Path dataDir;
    static EmbeddedZooKeeper server;
    static CuratorFramework zk;

    @BeforeAll
    static void startZooKeeper() {
        server = EmbeddedZooKeeper.start(dataDir.resolve("zk"), 0);
        zk = ZkClient.connectToRead(server.connectString(), "/mesos",
                Optional.of(ZkCredential.digest("mesos", "secret")), 30);
    }

    @AfterAll
    static void stopZooKeeper() {
        zk.close();
        server.close();
    }

    @Test
    void theMasterWithTheLowestSequenceNumberLeads() throws Exception {
        MesosMasters masters = new MesosMasters(zk);
        assertThat(masters.leader()).isEmpty();

        String first = register("{\"address\":{\"hostname\":\"master-a\",\"ip\":\"10.0.0.1\",\"port\":5050},"
                + "\"id\":\"a\",\"ip\":16777226,\"port\":5050,\"pid\":\"master@10.0.0.1:5050\",\"version\":\"1.11.0\"}");
        register("{\"address\":{\"ip\":\"10.0.0.2\",\"port\":5051},\"id\":\"b\",\"port\":5051}");
        zk.create().forPath("/log_replicas");

        assertThat(masters.leader()).contains(URI.create("http://master-a:5050"));

        zk.delete().forPath(first);
        assertThat(masters.leader()).contains(URI.create("http://10.0.0.2:5051"));
    }

    private static String register(String json) throws Exception {
        return zk.create().withMode(CreateMode.EPHEMERAL_SEQUENTIAL)
                .forPath("/" + MesosMasters.PREFIX, json.getBytes(StandardCharsets.UTF_8));
    }
}
