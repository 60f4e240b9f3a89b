package dev.slipway.framework.mesos;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.slipway.framework.placement.Attribute;
import dev.slipway.zk.InstanceState;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.mesos.v1.Protos;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.junit.jupiter.api.Test;

class ProtobufsTest {
    @Test
    void everyMesosTaskStateHasItsInstanceState() {
        for (Protos.TaskState state : Protos.TaskState.values()) {
            assertThat(Protobufs.state(state).name()).as(state.name()).isEqualTo(state.name().substring(5));
        }
    }

    @Test
    void anOfferCountsOnlyUnreservedOrOwnRoleResources() {
        Protos.Offer offer = Protos.Offer.newBuilder()
                .setId(Protos.OfferID.newBuilder().setValue("o1"))
                .setFrameworkId(Protos.FrameworkID.newBuilder().setValue("f"))
                .setAgentId(Protos.AgentID.newBuilder().setValue("a1"))
                .setHostname("agent-1")
                .addResources(scalar("cpus", 2, "*"))
                .addResources(scalar("mem", 1024, "*"))
                .addResources(scalar("mem", 4096, "other-role"))
                .addResources(Protos.Resource.newBuilder().setName("ports").setType(Protos.Value.Type.RANGES)
                        .setRanges(Protos.Value.Ranges.newBuilder()
                                .addRange(Protos.Value.Range.newBuilder().setBegin(31000).setEnd(31009))))
                .build();

        Offer seen = Protobufs.offer(offer, "*");

        assertThat(seen.resources().cpus()).isEqualTo(2);
        assertThat(seen.resources().memMb()).isEqualTo(1024);
        assertThat(seen.resources().ports()).containsExactly(new Resources.PortRange(31000, 31009));
    }

    @Test
    void anOfferCarriesTheAgentsTextAndScalarAttributesAndLeavesOutRangesAndSets() {
        Protos.Offer offer = Protos.Offer.newBuilder()
                .setId(Protos.OfferID.newBuilder().setValue("o1"))
                .setFrameworkId(Protos.FrameworkID.newBuilder().setValue("f"))
                .setAgentId(Protos.AgentID.newBuilder().setValue("a1"))
                .setHostname("agent-1")
                .addAttributes(Protos.Attribute.newBuilder().setName("zone").setType(Protos.Value.Type.TEXT)
                        .setText(Protos.Value.Text.newBuilder().setValue("zone-a")))
                .addAttributes(Protos.Attribute.newBuilder().setName("memory_gb").setType(Protos.Value.Type.SCALAR)
                        .setScalar(Protos.Value.Scalar.newBuilder().setValue(64)))
                .addAttributes(Protos.Attribute.newBuilder().setName("disks").setType(Protos.Value.Type.SET)
                        .setSet(Protos.Value.Set.newBuilder().addItem("ssd")))
                .build();

        Offer seen = Protobufs.offer(offer, "*");

        assertThat(seen.attributes()).containsOnly(Map.entry("zone", new Attribute.Text("zone-a")),
                Map.entry("memory_gb", new Attribute.Scalar(64)));
        assertThat(seen.agent().hostname()).isEqualTo("agent-1");
    }

    @Test
    void aLaunchBecomesATaskWithItsOwnExecutorNamedForTheMesosUi() {
        Launch launch = new Launch("hello.web.1.v3.abcd1234", "hello web.1 v3", "slipway executor for hello web.1 v3",
                Map.of("slipway.app", "hello"), 0.1, 256, 31000, 0.05, 96, "exec java -jar slipway-executor.jar",
                List.of(new Launch.Fetch("http://api/executor/slipway-executor.jar", false, false),
                        new Launch.Fetch("http://api/slugs/x.tgz", true, false)), "{}".getBytes(),
                Duration.ofSeconds(30));

        Protos.TaskInfo task = Protobufs.taskInfo(launch, "a1", "f1");

        assertThat(task.getName()).isEqualTo("hello web.1 v3");
        assertThat(task.getExecutor().getExecutorId().getValue()).isEqualTo("hello.web.1.v3.abcd1234");
        assertThat(task.getExecutor().getType()).isEqualTo(Protos.ExecutorInfo.Type.CUSTOM);
        assertThat(task.getExecutor().getCommand().getUrisList()).extracting(Protos.CommandInfo.URI::getExtract)
                .containsExactly(false, true);
        assertThat(task.getResourcesList()).extracting(Protos.Resource::getName).containsExactly("cpus", "mem", "ports");
        assertThat(task.getLabels().getLabelsList()).extracting(Protos.Label::getKey).containsExactly("slipway.app");
        assertThat(task.getData()).isEqualTo(ByteString.copyFromUtf8("{}"));
        assertThat(task.hasCommand()).as("a task has an executor or a command, never both").isFalse();
        assertThat(task.getKillPolicy().getGracePeriod().getNanoseconds()).isEqualTo(30_000_000_000L);
    }

    @Test
    void aKillWithAGraceCarriesItAsItsKillPolicyAndOneWithoutLeavesTheTasksOwn() {
        Call.Kill graced = Protobufs.kill("hello.web.1.v3.abcd1234", "a1", Duration.ofSeconds(45));
        Call.Kill plain = Protobufs.kill("stranger.web.1.v1.x", "", null);

        assertThat(graced.getTaskId().getValue()).isEqualTo("hello.web.1.v3.abcd1234");
        assertThat(graced.getAgentId().getValue()).isEqualTo("a1");
        assertThat(graced.getKillPolicy().getGracePeriod().getNanoseconds()).isEqualTo(45_000_000_000L);
        assertThat(plain.hasKillPolicy()).isFalse();
        assertThat(plain.hasAgentId()).isFalse();
    }

    @Test
    void aFetchThroughTheCacheAsksTheAgentToCacheItsUri() {
        Launch launch = new Launch("hello.web.1.v3.abcd1234", "hello web.1 v3", "slipway executor for hello web.1 v3",
                Map.of(), 0.1, 256, 0, 0.05, 96, "exec java -jar slipway-executor.jar",
                List.of(new Launch.Fetch("http://api/executor/0123456789abcdef/slipway-executor.jar", false, false,
                        true), new Launch.Fetch("http://api/other.tgz", true, false)), "{}".getBytes(),
                Duration.ofSeconds(10));

        List<Protos.CommandInfo.URI> uris = Protobufs.taskInfo(launch, "a1", "f1").getExecutor().getCommand()
                .getUrisList();

        assertThat(uris).extracting(Protos.CommandInfo.URI::getCache).containsExactly(true, false);
        assertThat(uris).extracting(Protos.CommandInfo.URI::getOutputFile).as("the sandbox file keeps the base name "
                + "of the URL's path, whatever query signs it").containsExactly("slipway-executor.jar", "other.tgz");
    }

    private static Protos.Resource scalar(String name, double value, String role) {
        Protos.Resource.Builder r = Protos.Resource.newBuilder().setName(name).setType(Protos.Value.Type.SCALAR)
                .setScalar(Protos.Value.Scalar.newBuilder().setValue(value));
        if (!role.equals("*")) {
            r.addReservations(Protos.Resource.ReservationInfo.newBuilder()
                    .setType(Protos.Resource.ReservationInfo.Type.STATIC).setRole(role));
        }
        return r.build();
    }
}
