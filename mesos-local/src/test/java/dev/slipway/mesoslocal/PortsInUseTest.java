package dev.slipway.mesoslocal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.slipway.mesos.procfs.TcpListeners;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.function.Predicate;
import org.apache.mesos.v1.Protos.Offer;
import org.apache.mesos.v1.Protos.Value;
import org.junit.jupiter.api.Test;

/** The agent never offers a port something on its host still listens on (issue 12: an orphan's port). */
class PortsInUseTest extends MesosLocalTestBase {

    @Test
    void aPortWithAListenerIsLeftOutOfOffersAndComesBackOnceFree() throws Exception {
        assumeTrue(TcpListeners.supported(), "reads the kernel's TCP tables: Linux only");
        TestScheduler scheduler = subscribe(TestScheduler.frameworkInfo().build());
        scheduler.decline(scheduler.awaitOffer(), 0);

        try (ServerSocket orphan = listenInRange()) {
            int port = orphan.getLocalPort();
            // The agent reads its TCP tables once a second: an offer made just before may still have it.
            offerWhere(scheduler, offer -> !offersPort(offer, port));
            for (int i = 0; i < 3; i++) {
                Offer whileHeld = scheduler.awaitOffer();
                assertThat(offersPort(whileHeld, port)).as("port %d, held by a listener", port).isFalse();
                assertThat(offersPort(whileHeld, port + 1)).as("its free neighbour").isTrue();
                scheduler.decline(whileHeld, 0);
            }
            orphan.close();

            offerWhere(scheduler, offer -> offersPort(offer, port));
        }
    }

    /** Declines offers until one matches, within 10 s; that one is declined too. */
    private static void offerWhere(TestScheduler scheduler, Predicate<Offer> wanted) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            Offer offer = scheduler.awaitOffer();
            scheduler.decline(offer, 0);
            if (wanted.test(offer)) {
                return;
            }
        }
        throw new AssertionError("no such offer within 10 s");
    }

    private static ServerSocket listenInRange() throws IOException {
        for (int port = 31050; port < 31099; port++) {
            ServerSocket socket = new ServerSocket();
            try {
                socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
                return socket;
            } catch (IOException e) {
                socket.close();
            }
        }
        throw new IOException("no free port in 31050-31098");
    }

    private static boolean offersPort(Offer offer, int port) {
        return offer.getResourcesList().stream().filter(r -> r.getName().equals("ports"))
                .flatMap(r -> r.getRanges().getRangeList().stream())
                .anyMatch((Value.Range range) -> range.getBegin() <= port && port <= range.getEnd());
    }
}
