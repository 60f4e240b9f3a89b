package dev.slipway.zk;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.ZooDefs.Perms;
import org.apache.zookeeper.data.ACL;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two framework instances in one election, each on its own ZooKeeper session, on the embedded server. */
class LeaderElectionTest {
    static final URI FIRST = URI.create("http://10.0.0.1:7070");
    static final URI SECOND = URI.create("http://10.0.0.2:7070");

    @TempDir
    Path dataDir;
    EmbeddedZooKeeper server;
    ZkCredentials credentials = ZkCredentials.random();
    CuratorFramework firstClient;
    CuratorFramework secondClient;
    LeaderElection first;
    LeaderElection second;
    final Queue<String> firstHeard = new ConcurrentLinkedQueue<>();
    final Queue<String> secondHeard = new ConcurrentLinkedQueue<>();

    @BeforeEach
    void twoInstancesJoin() {
        server = EmbeddedZooKeeper.start(dataDir.resolve("zk"), 0);
        firstClient = connect();
        secondClient = connect();
        first = new LeaderElection(firstClient, FIRST);
        first.start(recording(firstHeard));
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(first::leads);
        second = new LeaderElection(secondClient, SECOND);
        second.start(recording(secondHeard));
    }

    @AfterEach
    void stop() {
        first.close();
        second.close();
        firstClient.close();
        secondClient.close();
        server.close();
    }

    @Test
    void onlyOneOfTwoInstancesLeadsAndBothNameItsUrl() {
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> second.leader().isPresent());
        assertThat(first.leads()).isTrue();
        assertThat(second.leads()).isFalse();
        assertThat(first.leader()).contains(FIRST);
        assertThat(second.leader()).contains(FIRST);
        assertThat(firstHeard).containsExactly("elected");
        assertThat(secondHeard).isEmpty();
    }

    @Test
    void whenTheLeaderLeavesTheOtherIsElected() {
        first.close();
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(second::leads);
        assertThat(firstHeard).containsExactly("elected", "deposed");
        assertThat(secondHeard).containsExactly("elected");
        assertThat(second.leader()).contains(SECOND);
    }

    @Test
    void whenTheLeadersSessionEndsTheOtherIsElectedAndTheLeaderIsDeposed() throws Exception {
        // What a leader killed with SIGKILL leaves: a session that ZooKeeper ends.
        firstClient.getZookeeperClient().getZooKeeper().getTestable().injectSessionExpiration();
        Awaitility.await().atMost(Duration.ofSeconds(15)).until(second::leads);
        Awaitility.await().atMost(Duration.ofSeconds(15)).until(() -> firstHeard.contains("deposed"));
        assertThat(first.leads()).isFalse();
    }

    @Test
    void anInstanceRestartedUnderTheSameUrlRemovesTheNodeItsEarlierRunLeftWithoutWaitingForItsSession() {
        // The first run was killed with SIGKILL: its session, and so its latch node, live on.
        Awaitility.await().atMost(Duration.ofSeconds(10))
                .until(() -> firstClient.getChildren().forPath(ZkPaths.FRAMEWORK_LEADER).size() == 2);
        CuratorFramework restartedClient = connect();
        LeaderElection restarted = new LeaderElection(restartedClient, FIRST);
        try {
            restarted.start(recording(new ConcurrentLinkedQueue<>()));
            // The instance that waited longest leads now; the restarted one follows it.
            Awaitility.await().atMost(Duration.ofSeconds(5)).until(second::leads);
            assertThat(restarted.leads()).isFalse();
            assertThat(restarted.leader()).contains(SECOND);
        } finally {
            restarted.close();
            restartedClient.close();
        }
    }

    @Test
    void theLatchNodesAreSlipwaysAlone() throws Exception {
        Awaitility.await().atMost(Duration.ofSeconds(10))
                .until(() -> firstClient.getChildren().forPath(ZkPaths.FRAMEWORK_LEADER).size() == 2);
        List<String> nodes = firstClient.getChildren().forPath(ZkPaths.FRAMEWORK_LEADER);
        for (String node : nodes) {
            List<ACL> acl = firstClient.getACL().forPath(ZkPaths.FRAMEWORK_LEADER + "/" + node);
            assertThat(new HashSet<>(acl)).containsExactly(new ACL(Perms.ALL, credentials.acls().slipway()));
        }
        assertThat(new HashSet<>(firstClient.getACL().forPath(ZkPaths.FRAMEWORK_LEADER)))
                .containsExactly(new ACL(Perms.ALL, credentials.acls().slipway()));
    }

    private CuratorFramework connect() {
        return ZkClient.connect(server.connectString(), ZkPaths.DEFAULT_CHROOT, credentials.slipway(),
                credentials.acls(), 30, ZkClient.FRAMEWORK_SESSION);
    }

    private static LeaderElection.Listener recording(Queue<String> heard) {
        return new LeaderElection.Listener() {
            @Override
            public void elected() {
                heard.add("elected");
            }

            @Override
            public void deposed() {
                heard.add("deposed");
            }
        };
    }
}
