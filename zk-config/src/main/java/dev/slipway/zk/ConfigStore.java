package dev.slipway.zk;

import org.apache.curator.framework.CuratorFramework;

/**
 * The config vars each app's users set, at {@code /apps/<app>/config} (readable by Slipway alone,
 * see {@link ZkAcls}). Changed only together with the release that carries them, by
 * {@link ReleaseStore#publish(Versioned, Release, Versioned)}, or alone with {@link #set} while
 * the app has no release yet.
 */
public final class ConfigStore {
    private final Nodes nodes;

    public ConfigStore(CuratorFramework zk) {
        this(new Nodes(zk));
    }

    ConfigStore(Nodes nodes) {
        this.nodes = nodes;
    }

    /** The app's config vars with their node's version; none (at version -1) before any was set. */
    public Versioned<ConfigVars> get(String app) {
        return nodes.read(ZkPaths.config(app), ConfigVars.class).orElse(new Versioned<>(ConfigVars.NONE, -1));
    }

    /**
     * Stores the config vars of an app that has no release yet: only if the config is still at
     * {@code config}'s version and the app at {@code app}'s (no build released meanwhile), else a
     * {@link Conflict} and nothing written.
     */
    public void set(Versioned<App> app, ConfigVars vars, int version) {
        if (app.value().release() != 0) {
            throw new IllegalStateException("app " + app.value().name() + " has releases: its config goes with one");
        }
        nodes.transaction("store the config vars of " + app.value().name(),
                nodes.checkOp(ZkPaths.app(app.value().name()), app.version()),
                writeOp(nodes, app.value().name(), vars, version));
    }

    static org.apache.curator.framework.api.transaction.CuratorOp writeOp(Nodes nodes, String app, ConfigVars vars,
                                                                          int version) {
        return version < 0 ? nodes.createOp(ZkPaths.config(app), vars)
                : nodes.updateOp(ZkPaths.config(app), vars, version);
    }
}
