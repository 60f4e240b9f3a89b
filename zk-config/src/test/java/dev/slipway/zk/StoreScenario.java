package dev.slipway.zk;

import java.nio.file.Path;
import org.apache.curator.framework.CuratorFramework;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;

/**
 * A store test's ZooKeeper: a real server of its own per test class, and a client as Slipway
 * (with Slipway's ACLs) chrooted to a namespace named after the class.
 */
abstract class StoreScenario {
    @TempDir
    static Path dataDir;
    static EmbeddedZooKeeper server;
    static CuratorFramework zk;

    @BeforeAll
    static void startZooKeeper(TestInfo test) {
        server = EmbeddedZooKeeper.start(dataDir.resolve("zk"), 0);
        ZkCredentials credentials = ZkCredentials.random();
        String namespace = "/" + test.getTestClass().orElseThrow().getSimpleName();
        zk = ZkClient.connect(server.connectString(), namespace, credentials.slipway(), credentials.acls(), 30);
    }

    @AfterAll
    static void stopZooKeeper() {
        zk.close();
        server.close();
    }
}
