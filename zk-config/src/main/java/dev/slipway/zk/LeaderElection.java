package dev.slipway.zk;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.leader.LeaderLatch;
import org.apache.curator.framework.recipes.leader.LeaderLatchListener;
import org.apache.curator.framework.recipes.leader.Participant;
import org.apache.zookeeper.KeeperException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The election of the one framework instance that schedules: Curator's leader latch at
 * {@value ZkPaths#FRAMEWORK_LEADER}. Each participant's id is the URL its API answers at, so that
 * followers know where to forward calls. The latch's znodes get Slipway's ACL like every other
 * (the client's ACL provider, see {@link ZkAcls}).
 *
 * <p>Leadership ends as soon as the connection to ZooKeeper is suspended, not only when the session
 * expires (Curator's standard connection-state error policy): a leader cut off from ZooKeeper stops
 * at once, before another instance can be elected. {@link Listener}'s calls come one at a time, in
 * order, on a thread of their own.
 */
public final class LeaderElection implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LeaderElection.class);

    /** Told when this instance is elected and when it stops leading. */
    public interface Listener {
        void elected();

        void deposed();
    }

    private final CuratorFramework zk;
    private final URI self;
    private final LeaderLatch latch;
    private final ExecutorService events = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "slipway-leadership");
        t.setDaemon(true);
        return t;
    });

    /** A participant that answers at {@code self}, not yet started. */
    public LeaderElection(CuratorFramework zk, URI self) {
        this.zk = zk;
        this.self = self;
        this.latch = new LeaderLatch(zk, ZkPaths.FRAMEWORK_LEADER, self.toString(), LeaderLatch.CloseMode.NOTIFY_LEADER);
    }

    /**
     * Joins the election; {@code listener} hears of this instance's leadership from now on. A latch
     * node left by an earlier run under the same URL (a {@code kill -9} moments ago, its session
     * not yet ended) is removed first: no live instance can share this one's URL, which its API
     * already listens at, so that run is dead, and waiting for ZooKeeper to end its session would
     * leave the cluster without a scheduler until then.
     */
    public void start(Listener listener) {
        removeEarlierRuns();
        latch.addListener(new LeaderLatchListener() {
            @Override
            public void isLeader() {
                LOG.info("this framework instance ({}) leads", self);
                listener.elected();
            }

            @Override
            public void notLeader() {
                LOG.info("this framework instance ({}) no longer leads", self);
                listener.deposed();
            }
        }, events);
        try {
            latch.start();
        } catch (Exception e) {
            throw Nodes.translate("join the election at " + ZkPaths.FRAMEWORK_LEADER, e);
        }
    }

    private void removeEarlierRuns() {
        String id = self.toString();
        try {
            for (String child : zk.getChildren().forPath(ZkPaths.FRAMEWORK_LEADER)) {
                String path = ZkPaths.child(ZkPaths.FRAMEWORK_LEADER, child);
                try {
                    if (new String(zk.getData().forPath(path), StandardCharsets.UTF_8).equals(id)) {
                        zk.delete().forPath(path);
                        LOG.info("removed the election node {} that an earlier run at {} left", child, id);
                    }
                } catch (KeeperException.NoNodeException e) {
                    // Gone meanwhile: its session ended.
                }
            }
        } catch (KeeperException.NoNodeException e) {
            // No election yet.
        } catch (Exception e) {
            throw Nodes.translate("read the election at " + ZkPaths.FRAMEWORK_LEADER, e);
        }
    }

    /** Whether this instance leads now, as far as it knows without asking ZooKeeper. */
    public boolean leads() {
        return latch.hasLeadership();
    }

    /**
     * This instance's node in the election, while it has one: as long as it exists no other
     * instance can lead, so a write that checks it (see {@link StateWrite#fencedBy}) cannot come
     * from a deposed leader. Null before the start and after the node is gone.
     */
    public String ourNode() {
        return latch.getOurPath();
    }

    /** The URL of this instance's API, its id in the election. */
    public URI self() {
        return self;
    }

    /**
     * The API URL of the instance that leads, read from ZooKeeper (a round trip: not on an event
     * loop); empty while none does.
     */
    public Optional<URI> leader() {
        try {
            Participant leader = latch.getLeader();
            return leader.isLeader() && !leader.getId().isEmpty() ? Optional.of(URI.create(leader.getId()))
                    : Optional.empty();
        } catch (Exception e) {
            throw Nodes.translate("read the leader at " + ZkPaths.FRAMEWORK_LEADER, e);
        }
    }

    /** Leaves the election; a leader is told it is deposed first. */
    @Override
    public void close() {
        try {
            latch.close();
        } catch (IllegalStateException e) {
            // Never started: nothing to leave.
        } catch (Exception e) {
            LOG.warn("could not leave the election cleanly: {}", e.getMessage());
        } finally {
            events.shutdown();
        }
    }
}
