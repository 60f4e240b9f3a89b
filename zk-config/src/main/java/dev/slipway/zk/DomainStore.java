package dev.slipway.zk;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.curator.framework.api.transaction.CuratorOp;

/**
 * The custom domains of apps. A domain is two writes made as one ZooKeeper multi: its claim,
 * {@code /domains/<hostname>} (a {@link Domain} naming the app), and the app's record listing it
 * ({@link App#domains()}, what the scheduler publishes in the app's route). A claim is created, never
 * overwritten, so of two apps adding the same hostname at once exactly one succeeds, whichever
 * ZooKeeper orders first; the other gets a {@link Conflict} and nothing written.
 */
public final class DomainStore {
    private final Nodes nodes;

    DomainStore(Nodes nodes) {
        this.nodes = nodes;
    }

    /** The claim on {@code hostname}, whichever app has it. */
    public Optional<Domain> get(String hostname) {
        return nodes.read(ZkPaths.domain(hostname), Domain.class).map(Versioned::value);
    }

    /** The custom domains of {@code app}, by hostname. */
    public List<Domain> of(App app) {
        return nodes.readMany(app.domains().stream().map(ZkPaths::domain).toList(), Domain.class,
                        "read the domains of app " + app.name())
                .values().stream().map(Versioned::value).filter(d -> d.app().equals(app.name())).toList();
    }

    /**
     * Gives {@code domain} to its app, read at {@code app}'s version: {@link Conflict} naming the app
     * that has the hostname already (this one included), or when the app changed since it was read;
     * nothing is written then.
     */
    public Domain add(Versioned<App> app, Domain domain) {
        App current = app.value();
        if (!domain.app().equals(current.name())) {
            throw new IllegalArgumentException("domain " + domain.hostname() + " is for app " + domain.app() + ", not "
                    + current.name());
        }
        if (current.domains().size() >= App.MAX_DOMAINS) {
            throw new IllegalStateException("app " + current.name() + " has " + App.MAX_DOMAINS
                    + " domains already: the most it may have");
        }
        nodes.ensure(ZkPaths.DOMAINS);
        try {
            nodes.transaction("add domain " + domain.hostname() + " to app " + current.name(),
                    nodes.createOp(ZkPaths.domain(domain.hostname()), domain),
                    nodes.updateOp(ZkPaths.app(current.name()), current.withDomain(domain.hostname()), app.version()));
        } catch (Conflict e) {
            Optional<Domain> owner = get(domain.hostname());
            if (owner.isPresent()) {
                throw new Conflict(owner.get().app().equals(current.name())
                        ? "app '" + current.name() + "' has domain " + domain.hostname() + " already"
                        : "domain " + domain.hostname() + " belongs to another app", e);
            }
            throw new Conflict("app '" + current.name() + "' was changed by another request while this one ran: "
                    + "nothing was written; try again", e);
        }
        return domain;
    }

    /**
     * Takes {@code hostname} from the app, read at {@code app}'s version; {@link NotFound} when the app
     * does not have it, {@link Conflict} when the app changed since it was read.
     */
    public Domain remove(Versioned<App> app, String hostname) {
        App current = app.value();
        Versioned<Domain> claim = nodes.read(ZkPaths.domain(hostname), Domain.class)
                .filter(d -> d.value().app().equals(current.name()))
                .orElseThrow(() -> new NotFound("app '" + current.name() + "' has no domain " + hostname));
        // The domain's certificate goes with it.
        List<CuratorOp> ops = new ArrayList<>(new CertStore(nodes).deleteOps(current.name(), List.of(hostname)));
        ops.add(nodes.deleteOp(ZkPaths.domain(hostname), claim.version()));
        ops.add(nodes.updateOp(ZkPaths.app(current.name()), current.withoutDomain(hostname), app.version()));
        try {
            nodes.transaction("remove domain " + hostname + " from app " + current.name(), ops.toArray(CuratorOp[]::new));
        } catch (Conflict | NotFound e) {
            throw new Conflict("app '" + current.name() + "' was changed by another request while this one ran: "
                    + "nothing was written; try again", e);
        }
        return claim.value();
    }

    /**
     * The operations that delete the claims {@code app} holds and their certificates, for the multi
     * that deletes the app: claims of other apps (none should be listed) are left alone.
     */
    List<CuratorOp> releaseOps(App app) {
        List<CuratorOp> ops = new ArrayList<>(new CertStore(nodes).deleteOps(app.name(), app.domains()));
        nodes.readMany(app.domains().stream().map(ZkPaths::domain).toList(), Domain.class,
                "read the domains of app " + app.name()).forEach((path, claim) -> {
                    if (claim.value().app().equals(app.name())) {
                        ops.add(nodes.deleteOp(path, claim.version()));
                    }
                });
        return ops;
    }
}
