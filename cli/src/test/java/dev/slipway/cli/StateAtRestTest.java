package dev.slipway.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.slipway.zk.EmbeddedZooKeeper;
import dev.slipway.zk.RouteStore;
import dev.slipway.zk.ZkClient;
import dev.slipway.zk.ZkCredential;
import dev.slipway.zk.ZkCredentials;
import dev.slipway.zk.ZkPaths;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.data.ACL;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@code slipway up} leaves on disk and in ZooKeeper, started on a data directory of an older
 * Slipway: world-readable (umask 022) and with znodes open to anyone.
 */
class StateAtRestTest {
    static final byte[] SECRET = "{\"DATABASE_URL\":\"postgres://u:hunter2@db/app\"}".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path temporary;

    @Test
    void anUpgradedDataDirectoryIsClosedToOtherUsersAndItsZnodesToOtherClients() throws Exception {
        Path home = temporary.resolve("slipway");
        olderSlipway(home);
        assertThat(mode(home)).isEqualTo("rwxr-xr-x");

        try (LocalSlipway slipway = LocalSlipway.start(LocalSlipway.Options.forTests(home, EndToEndTest.EXECUTOR_JAR,
                EndToEndTest.BUILDPACKS), line -> { })) {
            assertThat(mode(home)).isEqualTo("rwx------");
            assertThat(mode(home.resolve("zookeeper"))).isEqualTo("rwx------");
            Path secrets = home.resolve(LocalSlipway.ZK_CREDENTIALS);
            assertThat(mode(secrets)).isEqualTo("rw-------");

            ZkCredentials credentials = ZkCredentials.load(secrets);
            try (CuratorFramework owner = ZkClient.connect(slipway.zkConnect(), ZkPaths.DEFAULT_CHROOT,
                    credentials.slipway(), credentials.acls(), 30);
                 CuratorFramework router = ZkClient.connectAsRouter(slipway.zkConnect(), ZkPaths.DEFAULT_CHROOT,
                         credentials, 30);
                 CuratorFramework stranger = ZkClient.connect(slipway.zkConnect(), ZkPaths.DEFAULT_CHROOT,
                         ZkCredential.digest("intruder", "guess"), credentials.acls(), 30)) {
                assertThat(owner.getACL().forPath(ZkPaths.config("hello")))
                        .containsExactly(new ACL(ZooDefs.Perms.ALL, credentials.slipway().id()));
                assertThat(owner.getData().forPath(ZkPaths.config("hello"))).isEqualTo(SECRET);
                assertThat(new RouteStore(router).get("hello")).isPresent();
                assertThatThrownBy(() -> router.getData().forPath(ZkPaths.config("hello")))
                        .isInstanceOf(KeeperException.NoAuthException.class);
                assertThatThrownBy(() -> stranger.getData().forPath(ZkPaths.config("hello")))
                        .isInstanceOf(KeeperException.NoAuthException.class);
                assertThatThrownBy(() -> stranger.setData().forPath(ZkPaths.route("hello"), "{}".getBytes()))
                        .isInstanceOf(KeeperException.NoAuthException.class);
            }
        }
    }

    @Test
    void aSecondStartKeepsTheCredentialsOfTheFirst() throws Exception {
        Path home = temporary.resolve("again");
        LocalSlipway.Options options = LocalSlipway.Options.forTests(home, EndToEndTest.EXECUTOR_JAR, EndToEndTest.BUILDPACKS);
        try (LocalSlipway first = LocalSlipway.start(options, line -> { })) {
            assertThat(first.api()).isNotNull();
        }
        String made = Files.readString(home.resolve(LocalSlipway.ZK_CREDENTIALS));
        try (LocalSlipway second = LocalSlipway.start(options, line -> { })) {
            assertThat(second.api()).isNotNull();
        }
        assertThat(Files.readString(home.resolve(LocalSlipway.ZK_CREDENTIALS))).isEqualTo(made);
    }

    /** A data directory as Slipway left it before: mode 0755, znodes with world:anyone cdrwa. */
    private static void olderSlipway(Path home) throws Exception {
        Files.createDirectories(home.resolve("zookeeper"));
        Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwxr-xr-x"));
        try (EmbeddedZooKeeper server = EmbeddedZooKeeper.start(home.resolve("zookeeper"), 0);
             CuratorFramework before = ZkClient.connectToRead(server.connectString(), ZkPaths.DEFAULT_CHROOT,
                     Optional.of(ZkCredential.digest("old", "slipway")), 30)) {
            before.create().creatingParentsIfNeeded().forPath(ZkPaths.config("hello"), SECRET);
            before.create().creatingParentsIfNeeded().forPath(ZkPaths.route("hello"),
                    ("{\"app\":\"hello\",\"hostnames\":[\"hello.localhost\"],\"endpoints\":[]}").getBytes(StandardCharsets.UTF_8));
            assertThat(before.getACL().forPath(ZkPaths.config("hello"))).isEqualTo(ZooDefs.Ids.OPEN_ACL_UNSAFE);
        }
        Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(home.resolve("zookeeper"), PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private static String mode(Path path) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
    }
}
