package dev.slipway.zk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Custom domains: each hostname claimed by one app only, in the same multi as the app's record. */
class DomainStoreTest extends StoreScenario {
    static final Instant NOW = Instant.parse("2026-12-07T00:00:00Z");

    @Test
    void anAddedDomainIsClaimedAndListedInTheAppsRecordTogether() {
        AppStore apps = new AppStore(zk);
        DomainStore domains = apps.domains();
        apps.create(App.created("shop", NOW));

        domains.add(apps.require("shop"), domain("www.shop.example", "shop"));
        domains.add(apps.require("shop"), domain("*.shop.example", "shop"));

        assertThat(apps.require("shop").value().domains()).containsExactly("*.shop.example", "www.shop.example");
        assertThat(domains.get("www.shop.example")).get().extracting(Domain::app).isEqualTo("shop");
        assertThat(domains.of(apps.require("shop").value())).extracting(Domain::hostname)
                .containsExactly("*.shop.example", "www.shop.example");
    }

    @Test
    void aHostnameAnotherAppHasIsAConflictAndNothingIsWritten() {
        AppStore apps = new AppStore(zk);
        DomainStore domains = apps.domains();
        apps.create(App.created("first", NOW));
        apps.create(App.created("second", NOW));
        domains.add(apps.require("first"), domain("taken.example", "first"));

        assertThatThrownBy(() -> domains.add(apps.require("second"), domain("taken.example", "second")))
                .isInstanceOf(Conflict.class).hasMessageContaining("belongs to another app");
        assertThatThrownBy(() -> domains.add(apps.require("first"), domain("taken.example", "first")))
                .isInstanceOf(Conflict.class).hasMessageContaining("has domain taken.example already");
        assertThat(apps.require("second").value().domains()).isEmpty();
        assertThat(domains.get("taken.example")).get().extracting(Domain::app).isEqualTo("first");
    }

    @Test
    void twoAppsAddingTheSameHostnameAtOnceLeaveItToExactlyOne() throws Exception {
        AppStore apps = new AppStore(zk);
        DomainStore domains = apps.domains();
        int racers = 8;
        ExecutorService pool = Executors.newFixedThreadPool(racers);
        try {
            for (int round = 0; round < 10; round++) {
                String hostname = "race-" + round + ".example";
                List<String> names = new ArrayList<>();
                for (int i = 0; i < racers; i++) {
                    names.add("racer-" + round + "-" + i);
                    apps.create(App.created(names.get(i), NOW));
                }
                CyclicBarrier start = new CyclicBarrier(racers);
                List<Future<Boolean>> outcomes = new ArrayList<>();
                for (String name : names) {
                    Callable<Boolean> add = () -> {
                        Versioned<App> app = apps.require(name);
                        start.await(10, TimeUnit.SECONDS);
                        try {
                            domains.add(app, domain(hostname, name));
                            return true;
                        } catch (Conflict e) {
                            return false;
                        }
                    };
                    outcomes.add(pool.submit(add));
                }
                List<String> winners = new ArrayList<>();
                for (int i = 0; i < racers; i++) {
                    if (outcomes.get(i).get(30, TimeUnit.SECONDS)) {
                        winners.add(names.get(i));
                    }
                }

                assertThat(winners).as("round %d", round).hasSize(1);
                assertThat(domains.get(hostname)).get().extracting(Domain::app).isEqualTo(winners.get(0));
                for (String name : names) {
                    assertThat(apps.require(name).value().domains())
                            .isEqualTo(name.equals(winners.get(0)) ? List.of(hostname) : List.of());
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aRemovedDomainIsFreeForAnotherAppAndOnlyItsOwnerMayRemoveIt() {
        AppStore apps = new AppStore(zk);
        DomainStore domains = apps.domains();
        apps.create(App.created("owner", NOW));
        apps.create(App.created("thief", NOW));
        domains.add(apps.require("owner"), domain("moving.example", "owner"));

        assertThatThrownBy(() -> domains.remove(apps.require("thief"), "moving.example"))
                .isInstanceOf(NotFound.class);
        domains.remove(apps.require("owner"), "moving.example");
        domains.add(apps.require("thief"), domain("moving.example", "thief"));

        assertThat(apps.require("owner").value().domains()).isEmpty();
        assertThat(apps.require("thief").value().domains()).containsExactly("moving.example");
    }

    @Test
    void aDomainAddedToAnAppReadBeforeAnotherWriteIsRefusedWithoutAClaim() {
        AppStore apps = new AppStore(zk);
        DomainStore domains = apps.domains();
        Versioned<App> stale = apps.create(App.created("busy", NOW));
        apps.update(stale.value().scaled("web", 2), stale.version());

        assertThatThrownBy(() -> domains.add(stale, domain("stale.example", "busy")))
                .isInstanceOf(Conflict.class).hasMessageContaining("changed by another request");
        assertThat(domains.get("stale.example")).isEmpty();
    }

    @Test
    void aDestroyedAppReleasesItsDomainsAndLeavesNoClaim() throws Exception {
        AppStore apps = new AppStore(zk);
        DomainStore domains = apps.domains();
        apps.create(App.created("gone", NOW));
        domains.add(apps.require("gone"), domain("gone.example", "gone"));
        domains.add(apps.require("gone"), domain("*.gone.example", "gone"));
        apps.crashes().put("gone", new CrashBackoff("web", 1, 1, 1, NOW, null, "x"));

        assertThat(apps.destroy("gone")).isTrue();

        assertThat(zk.checkExists().forPath(ZkPaths.app("gone"))).isNull();
        assertThat(domains.get("gone.example")).isEmpty();
        assertThat(domains.get("*.gone.example")).isEmpty();
        apps.create(App.created("heir", NOW));
        domains.add(apps.require("heir"), domain("gone.example", "heir"));
        assertThat(domains.get("gone.example")).get().extracting(Domain::app).isEqualTo("heir");
    }

    @Test
    void anAppDestroyedWhileDomainsAreAddedToItLeavesNoClaimBehind() throws Exception {
        AppStore apps = new AppStore(zk);
        DomainStore domains = apps.domains();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 10; round++) {
                String name = "fleeting-" + round;
                apps.create(App.created(name, NOW));
                CyclicBarrier start = new CyclicBarrier(2);
                Future<Integer> adding = pool.submit(() -> {
                    start.await(10, TimeUnit.SECONDS);
                    int added = 0;
                    for (int i = 0; i < 30; i++) {
                        try {
                            domains.add(apps.require(name), domain("h" + i + "." + name + ".example", name));
                            added++;
                        } catch (StoreException e) {
                            // Changed meanwhile, or destroyed: the next one tries again, or finds it gone.
                        }
                    }
                    return added;
                });
                Future<Boolean> destroying = pool.submit(() -> {
                    start.await(10, TimeUnit.SECONDS);
                    try {
                        return apps.destroy(name);
                    } catch (Conflict e) {
                        // Outrun by the adds: the app and its claims are as they were, consistent.
                        return false;
                    }
                });
                adding.get(30, TimeUnit.SECONDS);
                if (!destroying.get(30, TimeUnit.SECONDS)) {
                    App left = apps.require(name).value();
                    for (int i = 0; i < 30; i++) {
                        String hostname = "h" + i + "." + name + ".example";
                        assertThat(domains.get(hostname).isPresent()).as(hostname)
                                .isEqualTo(left.domains().contains(hostname));
                    }
                    assertThat(apps.destroy(name)).isTrue();
                }

                assertThat(apps.get(name)).isEmpty();
                for (int i = 0; i < 30; i++) {
                    assertThat(domains.get("h" + i + "." + name + ".example")).as("round %d, domain %d", round, i)
                            .isEmpty();
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void anOldAppRecordWithoutDomainsReadsAsHavingNone() throws Exception {
        zk.create().creatingParentContainersIfNeeded().forPath(ZkPaths.app("old"),
                "{\"name\":\"old\",\"formation\":{},\"release\":0}".getBytes());

        assertThat(new AppStore(zk).require("old").value().domains()).isEmpty();
    }

    private static Domain domain(String hostname, String app) {
        return new Domain(hostname, app, UUID.randomUUID().toString(), NOW);
    }
}
