package dev.slipway.mesoslocal.resources;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.apache.mesos.v1.Protos.Resource;
import org.apache.mesos.v1.Protos.Value;
import org.junit.jupiter.api.Test;

class ResourcesTest {
    private static final Resources AGENT = Resources.scalar("cpus", 2).plus(Resources.scalar("mem", 1024))
            .plus(Resources.ranges("ports", Ranges.of(31000, 31010)));

    @Test
    void subtractingPortsSplitsTheRange() {
        Resources left = AGENT.minus(Resources.ranges("ports", Ranges.of(31003, 31004)));

        assertThat(left.ranges("ports")).hasToString("[31000-31002, 31005-31010]");
        assertThat(left.plus(Resources.ranges("ports", Ranges.of(31003, 31004))).ranges("ports"))
                .isEqualTo(Ranges.of(31000, 31010));
    }

    @Test
    void scalarsKeepThreeDecimalsSoRepeatedArithmeticAddsUp() {
        Resources left = AGENT;
        for (int i = 0; i < 10; i++) {
            left = left.minus(Resources.scalar("cpus", 0.1));
        }
        assertThat(left.scalar("cpus")).isEqualTo(1.0);
        assertThat(left.contains(Resources.scalar("cpus", 1.0))).isTrue();
        assertThat(left.contains(Resources.scalar("cpus", 1.001))).isFalse();
    }

    @Test
    void containsNeedsEveryScalarAndEveryPort() {
        assertThat(AGENT.contains(Resources.scalar("cpus", 2).plus(Resources.ranges("ports", Ranges.of(31010,
                31010))))).isTrue();
        assertThat(AGENT.contains(Resources.ranges("ports", Ranges.of(31010, 31011)))).isFalse();
        assertThat(AGENT.contains(Resources.scalar("gpus", 1))).isFalse();
    }

    @Test
    void reservedResourcesAreNeverContainedInUnreservedOnes() {
        Resource reserved = cpus(1).toBuilder().setRole("web").build();

        assertThat(AGENT.contains(Resources.of(List.of(reserved)))).isFalse();
    }

    @Test
    void validationSaysWhatIsWrongAsMesosDoes() {
        assertThat(Resources.validate(List.of(cpus(-1)))).isEqualTo(
                "Resource 'cpus' is invalid: Invalid scalar resource: value < 0");
        Resource overlapping = Resource.newBuilder().setName("ports").setType(Value.Type.RANGES)
                .setRanges(Value.Ranges.newBuilder()
                        .addRange(Value.Range.newBuilder().setBegin(1).setEnd(5))
                        .addRange(Value.Range.newBuilder().setBegin(5).setEnd(6))).build();
        assertThat(Resources.validate(List.of(overlapping))).endsWith("overlapping ranges");
        assertThat(Resources.validate(List.of(cpus(1)))).isNull();
    }

    @Test
    void protosRoundTripWithAllocationRole() {
        List<Resource> protos = AGENT.toProtos("slipway");

        assertThat(protos).allMatch(r -> r.getRole().equals("*") && r.getAllocationInfo().getRole().equals("slipway"));
        assertThat(Resources.of(protos)).isEqualTo(AGENT);
    }

    private static Resource cpus(double value) {
        return Resource.newBuilder().setName("cpus").setType(Value.Type.SCALAR)
                .setScalar(Value.Scalar.newBuilder().setValue(value)).build();
    }
}
