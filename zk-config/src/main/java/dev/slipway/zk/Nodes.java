package dev.slipway.zk;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.api.transaction.CuratorOp;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.Stat;

/**
 * JSON records on ZooKeeper nodes, with Curator's exceptions turned into the store errors once,
 * here, where the library is called.
 */
final class Nodes {
    /**
     * The largest record written: the records' own bounds keep them far below it; this is the
     * backstop that keeps any record from nearing ZooKeeper's 1 MB limit.
     */
    static final int MAX_RECORD_BYTES = 256 * 1024;

    /** How long a pipelined listing may wait for its last answer (Curator retries lost connections meanwhile). */
    static final Duration LIST_TIMEOUT = Duration.ofSeconds(60);

    private final CuratorFramework zk;

    Nodes(CuratorFramework zk) {
        this.zk = zk;
    }

    CuratorFramework curator() {
        return zk;
    }

    <T> Optional<Versioned<T>> read(String path, Class<T> type) {
        try {
            Stat stat = new Stat();
            byte[] data = zk.getData().storingStatIn(stat).forPath(path);
            return Optional.of(new Versioned<>(decode(data, type, path), stat.getVersion()));
        } catch (KeeperException.NoNodeException e) {
            return Optional.empty();
        } catch (Exception e) {
            throw translate("read " + path, e);
        }
    }

    /**
     * Every child of {@code parent} read as {@code type}, sorted by name; a child deleted between
     * the listing and its read is left out. The reads are sent together and answered in one
     * pipeline on the session, so listing n children costs about one round trip, not n (10,000
     * apps took seconds one by one).
     */
    <T> List<T> readChildren(String parent, Class<T> type) {
        return readChildren(parent, type, name -> true);
    }

    /** The children of {@code parent} whose names {@code wanted} accepts, read as {@link #readChildren(String, Class)}. */
    <T> List<T> readChildren(String parent, Class<T> type, Predicate<String> wanted) {
        return readChildrenVersioned(parent, type, wanted).stream().map(Versioned::value).toList();
    }

    /** The children of {@code parent} whose names {@code wanted} accepts, each with the version it was read at. */
    <T> List<Versioned<T>> readChildrenVersioned(String parent, Class<T> type, Predicate<String> wanted) {
        List<String> names;
        try {
            // Filtered before sorting: one app's few tasks among 10,000 names sort in no time.
            names = zk.getChildren().forPath(parent).stream().filter(wanted).sorted().toList();
        } catch (KeeperException.NoNodeException e) {
            return List.of();
        } catch (Exception e) {
            throw translate("list " + parent, e);
        }
        return List.copyOf(readMany(names.stream().map(name -> ZkPaths.child(parent, name)).toList(), type,
                "list " + parent).values());
    }

    /**
     * The nodes at {@code paths} read as {@code type}, by path in the order given, each with its
     * version; a node that does not exist is left out. The reads are pipelined as {@link #readChildren}'s.
     */
    <T> Map<String, Versioned<T>> readMany(List<String> paths, Class<T> type, String what) {
        int count = paths.size();
        byte[][] data = new byte[count][];
        int[] codes = new int[count];
        int[] versions = new int[count];
        CountDownLatch answered = new CountDownLatch(count);
        try {
            for (int i = 0; i < count; i++) {
                int n = i;
                zk.getData().inBackground((client, event) -> {
                    codes[n] = event.getResultCode();
                    data[n] = event.getData();
                    versions[n] = event.getStat() == null ? 0 : event.getStat().getVersion();
                    answered.countDown();
                }).forPath(paths.get(i));
            }
            if (!answered.await(LIST_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new Unavailable(what + ": ZooKeeper answered " + (count - answered.getCount())
                        + " of " + count + " reads within " + LIST_TIMEOUT.toSeconds() + " s");
            }
        } catch (Exception e) {
            throw translate(what, e);
        }
        Map<String, Versioned<T>> values = new LinkedHashMap<>();
        for (int i = 0; i < count; i++) {
            String path = paths.get(i);
            KeeperException.Code code = KeeperException.Code.get(codes[i]);
            if (code == KeeperException.Code.OK) {
                values.put(path, new Versioned<>(decode(data[i], type, path), versions[i]));
            } else if (code != KeeperException.Code.NONODE) {
                throw translate("read " + path, KeeperException.create(code, path));
            }
        }
        return values;
    }

    <T> T decode(byte[] data, Class<T> type, String path) {
        try {
            return Json.mapper().readValue(data, type);
        } catch (IOException e) {
            throw new Unavailable("stored value at " + path + " is not a valid " + type.getSimpleName(), e);
        }
    }

    byte[] encode(Object value) {
        byte[] bytes;
        try {
            bytes = Json.mapper().writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot serialize " + value.getClass().getSimpleName(), e);
        }
        if (bytes.length > MAX_RECORD_BYTES) {
            throw new RecordTooLarge("the " + value.getClass().getSimpleName() + " record would take " + bytes.length
                    + " bytes: at most " + MAX_RECORD_BYTES + " are stored");
        }
        return bytes;
    }

    /** Creates the node (and missing parents); Conflict if it exists. Returns the new version (0). */
    int create(String path, Object value) {
        try {
            zk.create().creatingParentContainersIfNeeded().withMode(CreateMode.PERSISTENT).forPath(path, encode(value));
            return 0;
        } catch (Exception e) {
            throw translate("create " + path, e);
        }
    }

    /** Writes the node only if it is still at {@code version}; Conflict otherwise. */
    int update(String path, Object value, int version) {
        try {
            return zk.setData().withVersion(version).forPath(path, encode(value)).getVersion();
        } catch (Exception e) {
            throw translate("update " + path, e);
        }
    }

    /** Creates or overwrites the node, whatever its version. */
    void put(String path, Object value) {
        byte[] data = encode(value);
        try {
            try {
                zk.setData().forPath(path, data);
            } catch (KeeperException.NoNodeException e) {
                zk.create().creatingParentContainersIfNeeded().forPath(path, data);
            }
        } catch (KeeperException.NodeExistsException e) {
            // Created concurrently between our two calls: overwrite once more.
            put(path, value);
        } catch (Exception e) {
            throw translate("write " + path, e);
        }
    }

    boolean delete(String path) {
        try {
            zk.delete().deletingChildrenIfNeeded().forPath(path);
            return true;
        } catch (KeeperException.NoNodeException e) {
            return false;
        } catch (Exception e) {
            throw translate("delete " + path, e);
        }
    }

    List<String> children(String path) {
        try {
            List<String> names = new ArrayList<>(zk.getChildren().forPath(path));
            names.sort(null);
            return names;
        } catch (KeeperException.NoNodeException e) {
            return List.of();
        } catch (Exception e) {
            throw translate("list " + path, e);
        }
    }

    void ensure(String path) {
        try {
            zk.createContainers(path);
        } catch (Exception e) {
            throw translate("create " + path, e);
        }
    }

    /** Runs the operations as one ZooKeeper multi: all or nothing. */
    void transaction(String what, CuratorOp... ops) {
        try {
            zk.transaction().forOperations(ops);
        } catch (Exception e) {
            throw translate(what, e);
        }
    }

    CuratorOp createOp(String path, Object value) {
        try {
            return zk.transactionOp().create().withMode(CreateMode.PERSISTENT).forPath(path, encode(value));
        } catch (Exception e) {
            throw translate("prepare create " + path, e);
        }
    }

    CuratorOp updateOp(String path, Object value, int version) {
        try {
            return zk.transactionOp().setData().withVersion(version).forPath(path, encode(value));
        } catch (Exception e) {
            throw translate("prepare update " + path, e);
        }
    }

    /** Deletes the node (without children) if it is at {@code version}, any version for -1. */
    CuratorOp deleteOp(String path, int version) {
        try {
            return zk.transactionOp().delete().withVersion(version).forPath(path);
        } catch (Exception e) {
            throw translate("prepare delete " + path, e);
        }
    }

    CuratorOp checkOp(String path, int version) {
        try {
            return zk.transactionOp().check().withVersion(version).forPath(path);
        } catch (Exception e) {
            throw translate("prepare check " + path, e);
        }
    }

    static StoreException translate(String what, Exception e) {
        if (e instanceof StoreException se) {
            return se;
        }
        if (e instanceof KeeperException.NodeExistsException) {
            return new Conflict(what + ": it exists already", e);
        }
        if (e instanceof KeeperException.BadVersionException) {
            return new Conflict(what + ": it was changed meanwhile", e);
        }
        if (e instanceof KeeperException.NotEmptyException) {
            return new Conflict(what + ": nodes were added under it meanwhile", e);
        }
        if (e instanceof KeeperException.NoNodeException) {
            return new NotFound(what + ": no such node", e);
        }
        if (e instanceof InterruptedException) {
            Thread.currentThread().interrupt();
        }
        return new Unavailable(what + ": " + e.getMessage(), e);
    }
}
