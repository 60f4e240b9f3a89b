package dev.slipway.framework.release;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.slug.SlugStore;
import dev.slipway.zk.App;
import dev.slipway.zk.AppStore;
import dev.slipway.zk.EmbeddedZooKeeper;
import dev.slipway.zk.Instance;
import dev.slipway.zk.InstanceState;
import dev.slipway.zk.InstanceStore;
import dev.slipway.zk.Release;
import dev.slipway.zk.ReleaseStore;
import dev.slipway.zk.ZkClient;
import dev.slipway.zk.ZkCredentials;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The slug collection against releases being made at the same time, step by step. */
class ReleaseHistoryTest {
    @TempDir
    static Path dir;
    static EmbeddedZooKeeper server;
    static CuratorFramework zk;
    static AppStore apps;
    static ReleaseStore releases;
    static SlugStore slugs;
    static ReleaseHistory history;
    static final Instant NOW = Instant.parse("2026-12-07T12:00:00Z");

    @BeforeAll
    static void start() {
        server = EmbeddedZooKeeper.start(dir.resolve("zk"), 0);
        ZkCredentials credentials = ZkCredentials.random();
        zk = ZkClient.connect(server.connectString(), "/history-test", credentials.slipway(), credentials.acls(), 30);
        apps = new AppStore(zk);
        releases = new ReleaseStore(zk);
        slugs = new SlugStore(dir.resolve("data"));
        history = new ReleaseHistory(apps, releases, new InstanceStore(zk), slugs, 1);
    }

    @AfterAll
    static void stop() {
        zk.close();
        server.close();
    }

    @Test
    void aByteIdenticalSlugAnotherAppStoresBetweenTheScanAndTheDeleteIsNotDeletedUnderIt() throws Exception {
        apps.create(App.created("fading", NOW));
        apps.create(App.created("twin", NOW));
        String shared = slug("the same build");
        release("fading", shared);

        Release twins = history.publishing(() -> {
            // The twin's build stores its slug: byte-identical, so the one fading's v1 has.
            assertThat(slug("the same build")).isEqualTo(shared);
            // Meanwhile fading releases again, on another thread, and its v1 falls out of the history.
            List<Integer> removed = CompletableFuture.supplyAsync(() -> {
                release("fading", slug("fading's next build"));
                return history.trim("fading");
            }).orTimeout(30, TimeUnit.SECONDS).join();
            assertThat(removed).containsExactly(1);
            assertThat(slugs.exists(shared)).as("deleted between the twin's store and its release").isTrue();
            return release("twin", shared);
        });
        history.trim("twin");

        assertThat(twins.slug()).isEqualTo(shared);
        assertThat(slugs.exists(shared)).isTrue();
        assertThat(history.deferred()).isEmpty();
    }

    @Test
    void slugsLeftWhileAReleaseWasBeingMadeAreCollectedByTheNextTrimOfAnyApp() throws Exception {
        apps.create(App.created("churn", NOW));
        apps.create(App.created("bystander", NOW));
        String first = slug("churn one");
        release("churn", first);
        CountDownLatch publishing = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(1);
        CompletableFuture<Void> other = CompletableFuture.runAsync(() -> history.publishing(() -> {
            publishing.countDown();
            await(done);
            return null;
        }));
        assertThat(publishing.await(30, TimeUnit.SECONDS)).isTrue();

        release("churn", slug("churn two"));
        assertThat(history.trim("churn")).containsExactly(1);

        assertThat(slugs.exists(first)).as("collected while a release was being made").isTrue();
        assertThat(history.deferred()).contains(first);
        done.countDown();
        other.get(30, TimeUnit.SECONDS);

        history.trim("bystander");

        assertThat(slugs.exists(first)).isFalse();
        assertThat(history.deferred()).isEmpty();
    }

    @Test
    void aDestroyedAppsSlugThatAnotherAppIsReleasingIsKeptAndTheOthersGo() {
        apps.create(App.created("heir", NOW));
        String shared = slug("inherited build");
        String own = slug("the destroyed app's own build");

        int deleted = history.publishing(() -> {
            assertThat(slug("inherited build")).isEqualTo(shared);
            int now = CompletableFuture.supplyAsync(() -> history.collect(java.util.Set.of(shared, own)))
                    .orTimeout(30, TimeUnit.SECONDS).join();
            release("heir", shared);
            return now;
        });

        assertThat(deleted).isZero();
        assertThat(slugs.exists(shared)).isTrue();
        assertThat(history.collect(java.util.Set.of())).isEqualTo(1);
        assertThat(slugs.exists(shared)).isTrue();
        assertThat(slugs.exists(own)).isFalse();
    }

    private static String slug(String content) {
        return slugs.write(out -> out.write(content.getBytes(StandardCharsets.UTF_8))).digest();
    }

    @Test
    void aRunningInstanceSparesItsOldReleaseAndAnEndedOnesRecordDoesNot() {
        apps.create(App.created("kept", NOW));
        release("kept", slug("kept one"));
        release("kept", slug("kept two"));
        InstanceStore instances = new InstanceStore(zk);
        instances.put(instance("kept", 1, InstanceState.RUNNING));

        assertThat(history.trim("kept")).as("v1 runs").isEmpty();

        instances.put(instance("kept", 1, InstanceState.KILLED));

        assertThat(history.trim("kept")).as("v1's instance has ended").containsExactly(1);
        assertThat(releases.list("kept")).extracting(Release::version).containsExactly(2);
    }

    private static Instance instance(String app, int release, InstanceState state) {
        return new Instance(app + ".web.1.v" + release, app, "web", 1, release, state, "agent", "127.0.0.1", 31000,
                false, state.name().toLowerCase(), NOW);
    }

    private static Release release(String app, String slug) {
        var current = apps.require(app);
        Release release = new Release(current.value().release() + 1, slug, 1, Map.of("web", "./serve"),
                "Deploy " + slug.substring(0, 12), NOW);
        releases.publish(current, release);
        return release;
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
