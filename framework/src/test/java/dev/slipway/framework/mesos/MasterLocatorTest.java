package dev.slipway.framework.mesos;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import org.junit.jupiter.api.Test;

class MasterLocatorTest {
    @Test
    void aZooKeeperPasswordInTheMasterUrlIsNeverShown() {
        assertThat(MasterLocator.shown(URI.create("zk://mesos:s3cret@zk1:2181,zk2:2181/mesos")))
                .isEqualTo("zk://mesos:***@zk1:2181,zk2:2181/mesos");
        assertThat(MasterLocator.shown(URI.create("zk://zk1:2181/mesos"))).isEqualTo("zk://zk1:2181/mesos");
        assertThat(MasterLocator.shown(URI.create("http://10.0.0.5:5050"))).isEqualTo("http://10.0.0.5:5050");
    }
}
