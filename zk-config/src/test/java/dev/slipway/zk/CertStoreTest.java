package dev.slipway.zk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Certificates of custom domains: stored for the app that has the domain, and gone with it. */
class CertStoreTest extends StoreScenario {
    static final Instant NOW = Instant.parse("2026-12-07T00:00:00Z");

    @Test
    void aCertificateIsStoredForADomainOfItsAppAndReplacingItKeepsItsIdentity() {
        AppStore apps = new AppStore(zk);
        apps.create(App.created("shop", NOW));
        apps.domains().add(apps.require("shop"), domain("www.shop.example", "shop"));
        SelfSigned first = SelfSigned.generate("www.shop.example");
        SelfSigned second = SelfSigned.generate("www.shop.example");

        TlsCertificate added = apps.certs().put(cert("www.shop.example", "shop", first, NOW));
        TlsCertificate replaced = apps.certs().put(cert("www.shop.example", "shop", second, NOW.plusSeconds(60)));

        assertThat(replaced.id()).isEqualTo(added.id());
        assertThat(replaced.createdAt()).isEqualTo(NOW);
        assertThat(replaced.updatedAt()).isEqualTo(NOW.plusSeconds(60));
        assertThat(apps.certs().get("www.shop.example")).get().extracting(TlsCertificate::chain)
                .isEqualTo(second.certificate());
        assertThat(apps.certs().of(apps.require("shop").value())).extracting(TlsCertificate::hostname)
                .containsExactly("www.shop.example");
    }

    @Test
    void aCertificateForADomainTheAppDoesNotHaveIsRefusedAndNothingIsWritten() {
        AppStore apps = new AppStore(zk);
        apps.create(App.created("owner", NOW));
        apps.create(App.created("thief", NOW));
        apps.domains().add(apps.require("owner"), domain("pay.owner.example", "owner"));

        assertThatThrownBy(() -> apps.certs().put(cert("pay.owner.example", "thief", SelfSigned.generate("pay.owner.example"), NOW)))
                .isInstanceOf(NotFound.class).hasMessageContaining("app 'thief' has no domain pay.owner.example");
        assertThatThrownBy(() -> apps.certs().put(cert("nobody.example", "thief", SelfSigned.generate("nobody.example"), NOW)))
                .isInstanceOf(NotFound.class);
        assertThat(apps.certs().get("pay.owner.example")).isEmpty();
        assertThat(apps.certs().get("nobody.example")).isEmpty();
    }

    @Test
    void removingTheDomainOrDestroyingTheAppRemovesItsCertificate() {
        AppStore apps = new AppStore(zk);
        apps.create(App.created("gone", NOW));
        apps.domains().add(apps.require("gone"), domain("a.gone.example", "gone"));
        apps.domains().add(apps.require("gone"), domain("b.gone.example", "gone"));
        apps.certs().put(cert("a.gone.example", "gone", SelfSigned.generate("a.gone.example"), NOW));
        apps.certs().put(cert("b.gone.example", "gone", SelfSigned.generate("b.gone.example"), NOW));

        apps.domains().remove(apps.require("gone"), "a.gone.example");
        assertThat(apps.certs().get("a.gone.example")).isEmpty();
        assertThat(apps.certs().get("b.gone.example")).isPresent();

        apps.destroy("gone");
        assertThat(apps.certs().get("b.gone.example")).isEmpty();
    }

    @Test
    void removingACertificateOfAnotherAppIsNotFoundAndLeavesIt() {
        AppStore apps = new AppStore(zk);
        apps.create(App.created("keeper", NOW));
        apps.domains().add(apps.require("keeper"), domain("k.keeper.example", "keeper"));
        apps.certs().put(cert("k.keeper.example", "keeper", SelfSigned.generate("k.keeper.example"), NOW));

        assertThatThrownBy(() -> apps.certs().remove("other", "k.keeper.example")).isInstanceOf(NotFound.class);
        assertThat(apps.certs().remove("keeper", "k.keeper.example").hostname()).isEqualTo("k.keeper.example");
        assertThat(apps.certs().get("k.keeper.example")).isEmpty();
    }

    @Test
    void aCertificateNeverShowsItsPrivateKey() {
        SelfSigned pair = SelfSigned.generate("www.shop.example");
        TlsCertificate cert = cert("www.shop.example", "shop", pair, NOW);

        assertThat(cert.toString()).doesNotContain("PRIVATE KEY").doesNotContain(pair.privateKey().substring(40, 80));
        assertThat(pair.toString()).doesNotContain("PRIVATE KEY");
    }

    static TlsCertificate cert(String hostname, String app, SelfSigned pair, Instant at) {
        return new TlsCertificate(hostname, app, UUID.randomUUID().toString(), pair.certificate(), pair.privateKey(), at, at);
    }

    private static Domain domain(String hostname, String app) {
        return new Domain(hostname, app, UUID.randomUUID().toString(), NOW);
    }
}
