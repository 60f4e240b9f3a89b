package dev.slipway.mesos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.apache.mesos.v1.scheduler.Protos.Event;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The client's HTTP behaviour: redirects to the leading master, stream ids, refusals. */
class MesosHttpClientTest {
    HttpServer leader;
    HttpServer follower;

    @AfterEach
    void stop() {
        if (leader != null) {
            leader.stop(0);
        }
        if (follower != null) {
            follower.stop(0);
        }
    }

    @Test
    void aSubscriptionFollowsTheRedirectOfANonLeadingMasterToTheLeader() throws Exception {
        byte[] heartbeat = RecordIO.frame(MesosCodec.encode(Event.newBuilder().setType(Event.Type.HEARTBEAT).build(),
                MediaType.PROTOBUF));
        leader = server();
        leader.createContext("/api/v1/scheduler", exchange -> {
            exchange.getResponseHeaders().add("Mesos-Stream-Id", "stream-1");
            exchange.getResponseHeaders().add("Content-Type", "application/x-protobuf");
            exchange.sendResponseHeaders(200, heartbeat.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(heartbeat);
            }
        });
        follower = server();
        follower.createContext("/api/v1/scheduler", exchange -> {
            // Mesos answers with a scheme-relative Location naming the leader.
            exchange.getResponseHeaders().add("Location", "//127.0.0.1:" + leader.getAddress().getPort() + "/api/v1/scheduler");
            exchange.sendResponseHeaders(307, -1);
            exchange.close();
        });

        MesosHttpClient client = new MesosHttpClient(MediaType.PROTOBUF, Duration.ofSeconds(5));
        try (MesosHttpClient.Stream stream = client.subscribe(uri(follower), subscribe())) {
            assertThat(stream.uri().getPort()).isEqualTo(leader.getAddress().getPort());
            assertThat(stream.streamId()).isEqualTo("stream-1");
            Event event = MesosCodec.decode(stream.reader().next(), MediaType.PROTOBUF, Event.newBuilder());
            assertThat(event.getType()).isEqualTo(Event.Type.HEARTBEAT);
        }
    }

    @Test
    void aRefusedCallCarriesTheMastersReason() throws Exception {
        leader = server();
        leader.createContext("/api/v1/scheduler", exchange -> {
            byte[] reason = "Framework has been removed".getBytes();
            exchange.sendResponseHeaders(403, reason.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(reason);
            }
        });
        MesosHttpClient client = new MesosHttpClient(MediaType.PROTOBUF, Duration.ofSeconds(5));
        assertThatThrownBy(() -> client.subscribe(uri(leader), subscribe()))
                .isInstanceOfSatisfying(MesosHttpException.class, e -> {
                    assertThat(e.status()).isEqualTo(403);
                    assertThat(e.body()).isEqualTo("Framework has been removed");
                });
    }

    private static Call subscribe() {
        return Call.newBuilder().setType(Call.Type.SUBSCRIBE).setSubscribe(Call.Subscribe.newBuilder()
                .setFrameworkInfo(org.apache.mesos.v1.Protos.FrameworkInfo.newBuilder().setUser("root").setName("t")))
                .build();
    }

    private static HttpServer server() throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.start();
        return server;
    }

    private static URI uri(HttpServer server) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/api/v1/scheduler");
    }
}
