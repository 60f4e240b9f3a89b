package dev.slipway.zk;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.api.ACLProvider;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.ZooDefs.Perms;
import org.apache.zookeeper.data.ACL;
import org.apache.zookeeper.data.Id;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who may do what on Slipway's znodes; the one place that says so. The {@code slipway} identity
 * has every permission everywhere; the {@code router} identity may read {@code /routes} and the
 * routes under it, {@code /certs} and the certificates (with their private keys) under it, and the chroot node (empty: it only lists the top nodes' names), and may make,
 * write and delete its acknowledgement node under {@code /routers} (the route version it serves),
 * nothing else; nobody else has any permission (no {@code world:anyone}).
 *
 * <p>Znodes get these ACLs when they are made (through {@link #provider(String)}, installed by
 * {@link ZkClient#connect}); znodes made before (with ZooKeeper's open ACL) get them from
 * {@link #migrate(CuratorFramework)} on start.
 */
public record ZkAcls(Id slipway, Id router) {
    private static final Logger LOG = LoggerFactory.getLogger(ZkAcls.class);

    public ZkAcls {
        if (slipway == null || router == null) {
            throw new IllegalArgumentException("both the slipway and the router identities are needed");
        }
    }

    /** The ACL of the node at {@code path}, relative to Slipway's chroot ({@code /} is the chroot node). */
    public List<ACL> forPath(String path) {
        // The router's client checks that the chroot node exists before every request, and ZooKeeper
        // answers exists() only to who may read the node: the chroot holds no data, only the names
        // of the top nodes.
        if (path.equals(ZkPaths.ROUTERS)) {
            // ZooKeeper asks for DELETE on the parent of a node deleted: a router removes its own on close.
            return slipwayAnd(Perms.READ | Perms.CREATE | Perms.DELETE);
        }
        if (ZkPaths.isRouterAck(path)) {
            return slipwayAnd(Perms.READ | Perms.WRITE);
        }
        // Certificates with their private keys: the router must read a key to serve it; nobody else may.
        return path.equals("/") || ZkPaths.isRoutes(path) || ZkPaths.isCerts(path) ? slipwayAndRouter() : slipwayOnly();
    }

    private List<ACL> slipwayAnd(int routerPerms) {
        return new ArrayList<>(List.of(new ACL(Perms.ALL, slipway), new ACL(routerPerms, router)));
    }

    // Mutable lists: ZooKeeper's client asks contains(null) of them, which List.of refuses.
    private List<ACL> slipwayAndRouter() {
        return new ArrayList<>(List.of(new ACL(Perms.ALL, slipway), new ACL(Perms.READ, router)));
    }

    private List<ACL> slipwayOnly() {
        return new ArrayList<>(List.of(new ACL(Perms.ALL, slipway)));
    }

    /**
     * Curator's view of this policy for a client under {@code chroot}.
     */
    ACLProvider provider(String chroot) {
        return new ACLProvider() {
            @Override
            public List<ACL> getDefaultAcl() {
                return slipwayOnly();
            }

            @Override
            public List<ACL> getAclForPath(String path) {
                // Creates ask with the whole path; creates in a transaction with the path under
                // the chroot. The chroot's own parents (/a of /a/b) are Slipway's alone.
                String inside = ZkPaths.withinChroot(chroot, path);
                return forPath(inside != null ? inside : path);
            }
        };
    }

    /**
     * Gives every znode under the client's chroot, the chroot node included, the ACL of this policy
     * where it has another (znodes made before Slipway used ACLs have {@code world:anyone cdrwa});
     * makes the chroot node if it is missing. Run by the {@code slipway} identity on start.
     * Returns how many znodes changed. {@link Unavailable} if a znode belongs to another identity.
     */
    public int migrate(CuratorFramework zk) {
        try {
            zk.createContainers(ZkPaths.ROUTES);
            zk.createContainers(ZkPaths.CERTS);
            // Persistent, not a container: ZooKeeper would reap it once the last router is gone, and
            // a router may not make it again.
            if (zk.checkExists().forPath(ZkPaths.ROUTERS) == null) {
                try {
                    zk.create().withMode(CreateMode.PERSISTENT).forPath(ZkPaths.ROUTERS);
                } catch (KeeperException.NodeExistsException e) {
                    // Made meanwhile by another framework instance.
                }
            }
            int changed = migrate(zk, "/");
            if (changed > 0) {
                LOG.info("set Slipway's ZooKeeper ACLs on {} znodes that were made before them", changed);
            }
            return changed;
        } catch (KeeperException.NoAuthException e) {
            throw new Unavailable("the znode " + e.getPath() + " does not let Slipway's ZooKeeper identity change it: "
                    + "it was made with other credentials (give the credentials file it was made with)", e);
        } catch (Exception e) {
            throw Nodes.translate("set Slipway's ACLs under " + zk.getNamespace(), e);
        }
    }

    private int migrate(CuratorFramework zk, String path) throws Exception {
        int changed = 0;
        List<ACL> wanted = forPath(path);
        try {
            if (!new HashSet<>(zk.getACL().forPath(path)).equals(new HashSet<>(wanted))) {
                zk.setACL().withACL(wanted).forPath(path);
                changed++;
            }
            for (String child : zk.getChildren().forPath(path)) {
                changed += migrate(zk, ZkPaths.child(path, child));
            }
        } catch (KeeperException.NoNodeException e) {
            // Deleted while walking (an ephemeral node, a finished task): nothing to protect.
        }
        return changed;
    }

    /**
     * Makes the server's root node Slipway's alone, so that no other client makes znodes beside
     * Slipway's: only for a server Slipway runs itself (the embedded one), never a shared ensemble.
     */
    public void lockRoot(CuratorFramework zk) {
        try {
            zk.usingNamespace(null).setACL().withACL(slipwayOnly()).forPath("/");
        } catch (Exception e) {
            throw Nodes.translate("set the ACL of ZooKeeper's root node", e);
        }
    }
}
