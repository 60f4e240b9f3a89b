package dev.slipway.mesos.procfs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.slipway.mesos.procfs.TcpListeners.Listener;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TcpListenersTest {
    private static final String TCP = """
              sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
               0: 0100007F:7CFF 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 36559 1 0000000033e29d00 100 0 0 10 0
               1: 0100007F:A29A 0100007F:9115 01 00000000:00000000 00:00000000 00000000     0        0 777 1 0000000033e29d00 100 0 0 10 0
            """;
    private static final String TCP6 = """
              sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
               0: 00000000000000000000000000000000:7A6E 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 4242 1 0000000000000000 100 0 0 10 0
            """;

    @Test
    void onlyListeningSocketsAreReadWithTheirPortAndInode() {
        assertThat(TcpListeners.parse(TCP)).containsExactly(new Listener(0x7CFF, 36559));
    }

    @Test
    void bothTablesAreReadAndAMissingOneIsEmpty(@TempDir Path net) throws Exception {
        Files.writeString(net.resolve("tcp"), TCP);
        assertThat(TcpListeners.read(net)).containsExactly(new Listener(0x7CFF, 36559));

        Files.writeString(net.resolve("tcp6"), TCP6);
        assertThat(TcpListeners.read(net)).containsExactly(new Listener(0x7CFF, 36559), new Listener(31342, 4242));
    }

    @Test
    void aListenerOfThisProcessIsFoundWithItsSocketAmongItsDescriptors() throws Exception {
        assumeTrue(TcpListeners.supported(), "Linux only");
        try (ServerSocket server = new ServerSocket()) {
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            Listener mine = TcpListeners.read().stream().filter(l -> l.port() == server.getLocalPort()).findFirst()
                    .orElseThrow();
            assertThat(ProcessSockets.inodes(ProcessHandle.current().pid())).contains(mine.inode());
            assertThat(ProcessSockets.holderOf(mine.inode())).isEqualTo(ProcessHandle.current().pid());
            try (Socket client = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort())) {
                assertThat(TcpListeners.read().stream().filter(l -> l.port() == server.getLocalPort()))
                        .as("connected sockets are not listeners").hasSize(1);
            }
        }
    }
}
