package dev.slipway.zk;

import java.util.List;
import org.apache.curator.framework.CuratorFramework;

/**
 * The crash backoff of each slot of each app, under {@code /apps/<app>/crashes/<process>.<index>}:
 * one small record per slot that crashed lately (see {@link CrashBackoff}), gone with its app.
 * The scheduler is the only writer, so records are overwritten rather than version-checked.
 */
public final class CrashBackoffStore {
    private final Nodes nodes;

    public CrashBackoffStore(CuratorFramework zk) {
        this(new Nodes(zk));
    }

    CrashBackoffStore(Nodes nodes) {
        this.nodes = nodes;
    }

    /** Stores the slot's backoff; nothing when the app is gone (its node is not made again). */
    public void put(String app, CrashBackoff backoff) {
        if (nodes.read(ZkPaths.app(app), App.class).isEmpty()) {
            return;
        }
        nodes.put(ZkPaths.crash(app, backoff.slot()), backoff);
    }

    public List<CrashBackoff> list(String app) {
        return nodes.children(ZkPaths.crashes(app)).stream()
                .flatMap(slot -> nodes.read(ZkPaths.crash(app, slot), CrashBackoff.class).stream())
                .map(Versioned::value)
                .toList();
    }

    /** Forgets the slot's crashes ({@code slot} as {@code web.1}). */
    public void delete(String app, String slot) {
        nodes.delete(ZkPaths.crash(app, slot));
    }
}
