package dev.slipway.zk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.apache.curator.framework.CuratorFramework;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Users, teams, token hashes and the signing key in a real ZooKeeper. */
class AccountStoreTest {
    @TempDir
    static Path dataDir;
    static EmbeddedZooKeeper server;
    static CuratorFramework zk;
    static final ZkCredentials CREDENTIALS = ZkCredentials.random();
    static final Instant NOW = Instant.parse("2026-12-07T12:00:00Z");

    @BeforeAll
    static void startZooKeeper() {
        server = EmbeddedZooKeeper.start(dataDir.resolve("zk"), 0);
        zk = ZkClient.connect(server.connectString(), "/accounts-test", CREDENTIALS.slipway(), CREDENTIALS.acls(), 30);
    }

    @AfterAll
    static void stopZooKeeper() {
        zk.close();
        server.close();
    }

    @Test
    void theFirstAdminIsMadeWholeOrNotAtAll() {
        AccountStore accounts = new AccountStore(zk);
        assertThat(accounts.hasAdmin()).isFalse();
        accounts.createTeam(new Team("taken", List.of(), NOW));

        assertThatThrownBy(() -> accounts.bootstrap(new User("root", true, NOW), new Team("taken", List.of("root"), NOW),
                token("aaaaaaaaaaaaaaaa", "root"))).isInstanceOf(Conflict.class);

        assertThat(accounts.hasAdmin()).isFalse();
        assertThat(accounts.token("aaaaaaaaaaaaaaaa")).isEmpty();
        accounts.bootstrap(new User("root", true, NOW), new Team("first", List.of("root"), NOW),
                token("bbbbbbbbbbbbbbbb", "root"));
        assertThat(accounts.hasAdmin()).isTrue();
        assertThat(accounts.teamsOf("root")).extracting(Team::name).containsExactly("first");
        assertThat(accounts.tokensOf("root")).extracting(StoredToken::id).containsExactly("bbbbbbbbbbbbbbbb");
    }

    @Test
    void theSigningKeyIsMadeOnceAndTheSameForEveryReader() {
        byte[] first = new AccountStore(zk).signingKey();

        assertThat(first).hasSize(32);
        assertThat(new AccountStore(zk).signingKey()).isEqualTo(first);
    }

    @Test
    void aRevokedTokenIsGoneAndATeamChangeNeedsItsVersion() {
        AccountStore accounts = new AccountStore(zk);
        accounts.createUser(new User("ann", false, NOW), token("cccccccccccccccc", "ann"));
        accounts.createTeam(new Team("green", List.of("ann"), NOW));
        Versioned<Team> green = accounts.team("green").orElseThrow();
        accounts.updateTeam(green.value().with("bo"), green.version());

        assertThatThrownBy(() -> accounts.updateTeam(green.value().without("ann"), green.version()))
                .isInstanceOf(Conflict.class);
        assertThat(accounts.team("green").orElseThrow().value().members()).containsExactly("ann", "bo");
        assertThat(accounts.deleteToken("cccccccccccccccc")).isTrue();
        assertThat(accounts.token("cccccccccccccccc")).isEmpty();
        assertThat(accounts.deleteToken("cccccccccccccccc")).isFalse();
    }

    @Test
    void aStoredTokenNeverShowsItsHash() {
        assertThat(token("dddddddddddddddd", "ann").toString()).doesNotContain("the-hash").doesNotContain("salt");
    }

    private static StoredToken token(String id, String user) {
        return new StoredToken(id, user, "test", NOW, "c2FsdA", "the-hash");
    }
}
