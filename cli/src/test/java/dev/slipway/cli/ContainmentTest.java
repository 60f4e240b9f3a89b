package dev.slipway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ContainmentTest {
    @Test
    void hostModeIsAnnouncedAsDevelopmentNamingWhatIsNotIsolatedAndTheDocs() throws Exception {
        boolean root = (int) Files.getAttribute(Path.of("/proc/self"), "unix:uid") == 0;

        assertThat(Containment.warning(false)).hasValueSatisfying(line -> {
            assertThat(line).startsWith("WARNING: host mode is for development")
                    .contains("any app can connect to the API, Mesos, ZooKeeper and the other apps' ports")
                    .endsWith("See docs/security.md")
                    .doesNotContain("\n");
            assertThat(line).contains(root ? "each app runs under its own Unix user"
                    : "can read the others' environment (config vars) and files");
        });
    }

    @Test
    void containersNeedNoWarningWhereTheFirewallRuleCanBeMade() throws Exception {
        boolean root = (int) Files.getAttribute(Path.of("/proc/self"), "unix:uid") == 0;
        boolean iptables = Files.isExecutable(Path.of("/usr/sbin/iptables")) || Files.isExecutable(Path.of("/sbin/iptables"));

        if (root && iptables) {
            assertThat(Containment.warning(true)).isEmpty();
        } else {
            assertThat(Containment.warning(true)).hasValueSatisfying(line -> assertThat(line)
                    .contains("no firewall rule keeps them from the services on this machine's non-loopback addresses"));
        }
    }
}
