package dev.slipway.zk;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.apache.curator.framework.CuratorFramework;

/**
 * Finds the leading Mesos master the way Mesos' own detector does: masters register ephemeral
 * sequential nodes {@code json.info_<seq>} (a JSON MasterInfo) under their ZooKeeper path, and
 * the one with the lowest sequence number leads. The client given is rooted at that path
 * (e.g. {@code /mesos} of {@code zk://host:2181/mesos}).
 */
public final class MesosMasters {
    static final String PREFIX = "json.info_";

    private final Nodes nodes;

    public MesosMasters(CuratorFramework zkAtMesosPath) {
        this.nodes = new Nodes(zkAtMesosPath);
    }

    /** The leader's base URI ({@code http://host:port}), or empty while no master has registered. */
    public Optional<URI> leader() {
        List<String> candidates = nodes.children("/").stream().filter(n -> n.startsWith(PREFIX))
                .sorted(Comparator.comparingLong(MesosMasters::sequence)).toList();
        for (String name : candidates) {
            Optional<URI> uri = read("/" + name);
            if (uri.isPresent()) {
                return uri;
            }
        }
        return Optional.empty();
    }

    private Optional<URI> read(String path) {
        try {
            byte[] data = nodes.curator().getData().forPath(path);
            return Optional.of(address(Json.mapper().readTree(data)));
        } catch (org.apache.zookeeper.KeeperException.NoNodeException e) {
            // The master went away between listing and reading: the next one leads.
            return Optional.empty();
        } catch (IOException e) {
            throw new Unavailable("the Mesos master info at " + path + " is not valid JSON", e);
        } catch (Exception e) {
            throw Nodes.translate("read " + path, e);
        }
    }

    /** MasterInfo's {@code address} (hostname, else ip, and port); older masters only have {@code hostname}/{@code port}. */
    static URI address(JsonNode info) {
        JsonNode address = info.path("address");
        String host = address.path("hostname").asText(address.path("ip").asText(info.path("hostname").asText("")));
        int port = address.path("port").asInt(info.path("port").asInt(5050));
        if (host.isEmpty()) {
            throw new Unavailable("the Mesos master info names no host: " + info);
        }
        return URI.create("http://" + host + ":" + port);
    }

    static long sequence(String name) {
        try {
            return Long.parseLong(name.substring(PREFIX.length()));
        } catch (NumberFormatException e) {
            return Long.MAX_VALUE;
        }
    }
}
