package dev.slipway.zk;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class CrashBackoffStoreTest extends StoreScenario {
    static final Instant NOW = Instant.parse("2026-12-07T00:00:00Z");

    @Test
    void aSlotsBackoffIsStoredUnderItsAppOverwrittenAndForgotten() {
        AppStore apps = new AppStore(zk);
        apps.create(App.named("loop").createdAt(NOW).build());
        CrashBackoffStore crashes = apps.crashes();

        crashes.put("loop", new CrashBackoff("web", 1, 1, 1, NOW.plusSeconds(1), null, "exited with code 1"));
        crashes.put("loop", new CrashBackoff("web", 1, 1, 2, NOW.plusMillis(1150), null, "exited with code 127"));
        crashes.put("loop", new CrashBackoff("worker", 2, 1, 1, NOW.plusSeconds(1), NOW, ""));

        assertThat(crashes.list("loop")).extracting(CrashBackoff::slot, CrashBackoff::crashes, CrashBackoff::lastExit)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("web.1", 2, "exited with code 127"),
                        org.assertj.core.groups.Tuple.tuple("worker.2", 1, ""));
        assertThat(apps.list()).extracting(App::name).containsExactly("loop");

        crashes.delete("loop", "web.1");

        assertThat(crashes.list("loop")).extracting(CrashBackoff::slot).containsExactly("worker.2");
    }

    @Test
    void theBackoffOfAnAppThatIsGoneIsNotStoredAndDoesNotMakeItsNodeAgain() {
        CrashBackoffStore crashes = new CrashBackoffStore(zk);

        crashes.put("gone", new CrashBackoff("web", 1, 1, 1, NOW, null, "exited with code 1"));

        assertThat(crashes.list("gone")).isEmpty();
        assertThat(new AppStore(zk).get("gone")).isEmpty();
    }
}
