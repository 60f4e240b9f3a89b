package dev.slipway.zk;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.Properties;
import org.apache.zookeeper.server.embedded.ExitHandler;
import org.apache.zookeeper.server.embedded.ZooKeeperServerEmbedded;

/**
 * A real ZooKeeper server in this process, for {@code slipway up} and for tests. Its data lives
 * in {@code dataDir} (mode 0700: its transaction log holds every config var), so that what was
 * stored survives a restart. It serves only clients that authenticate with the digest scheme
 * (ZooKeeper's {@code enforce.auth}); what each identity may do is in the znodes' ACLs
 * ({@link ZkAcls}).
 */
public final class EmbeddedZooKeeper implements AutoCloseable {
    private final ZooKeeperServerEmbedded server;
    private final String connectString;

    private EmbeddedZooKeeper(ZooKeeperServerEmbedded server, String connectString) {
        this.server = server;
        this.connectString = connectString;
    }

    /** Starts a server on 127.0.0.1:{@code port} (0 picks a free port) keeping its data in {@code dataDir}. */
    public static EmbeddedZooKeeper start(Path dataDir, int port) {
        if (port != 0) {
            requireFree(port);
        }
        try {
            PrivateFiles.directory(dataDir);
            Properties config = new Properties();
            config.setProperty("clientPort", Integer.toString(port));
            config.setProperty("clientPortAddress", "127.0.0.1");
            config.setProperty("tickTime", "2000");
            config.setProperty("initLimit", "10");
            config.setProperty("syncLimit", "5");
            config.setProperty("admin.enableServer", "false");
            config.setProperty("4lw.commands.whitelist", "ruok,stat");
            // A client that has not authenticated is disconnected at its first request. ZooKeeper
            // reads these two as the system properties zookeeper.enforce.auth.*, for this JVM.
            config.setProperty("enforce.auth.enabled", "true");
            config.setProperty("enforce.auth.schemes", ZkCredential.DIGEST);
            ZooKeeperServerEmbedded server = ZooKeeperServerEmbedded.builder()
                    .baseDir(dataDir)
                    .configuration(config)
                    // Never let ZooKeeper call System.exit in a process it shares with Slipway.
                    .exitHandler(ExitHandler.LOG_ONLY)
                    .build();
            server.start(30_000);
            return new EmbeddedZooKeeper(server, server.getConnectionString());
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new Unavailable("could not start the embedded ZooKeeper in " + dataDir + ": " + e.getMessage(), e);
        }
    }

    /**
     * ZooKeeper's embedded server hangs in start() when its port is taken, so the port is tried
     * first and a clear error given instead.
     */
    private static void requireFree(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        } catch (IOException e) {
            throw new Unavailable("port " + port + " for the embedded ZooKeeper is in use (is another Slipway "
                    + "running?): choose another with --zk-port, or name a running ZooKeeper with --zk", e);
        }
    }

    /** host:port to give a client. */
    public String connectString() {
        return connectString;
    }

    @Override
    public void close() {
        server.close();
    }
}
