package dev.slipway.zk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A process type's size in the app record, and the size an instance was launched with, as stored. */
class SizeRecordsTest {
    @Test
    void anAppsSizesAndAnInstancesSizeSurviveTheirJson() throws Exception {
        App app = App.created("hello", Instant.EPOCH).withSize("web", new Size("large", 0.5, 1024))
                .withSize("worker", Size.of(0.3, 700));
        Instance instance = new Instance("t", "hello", "web", 1, 1, InstanceState.RUNNING, "a", "h", 1, true, "",
                Instant.EPOCH, 0.5, 1024);

        App read = Json.mapper().readValue(Json.mapper().writeValueAsBytes(app), App.class);
        Instance readInstance = Json.mapper().readValue(Json.mapper().writeValueAsBytes(instance), Instance.class);

        assertThat(read).isEqualTo(app);
        assertThat(read.sizeOf("worker").name()).isNull();
        assertThat(read.sizeOf("clock")).isNull();
        assertThat(readInstance).isEqualTo(instance);
        assertThat(Json.mapper().writeValueAsString(instance)).contains("\"cpus\":0.5,\"memory_mb\":1024");
    }

    @Test
    void recordsStoredBeforeSizesReadWithTheDefaultAndAnUnknownSize() throws Exception {
        App app = Json.mapper().readValue("{\"name\":\"old\",\"formation\":{\"web\":1},\"release\":2}", App.class);
        Instance instance = Json.mapper().readValue("{\"task_id\":\"t\",\"app\":\"old\",\"process\":\"web\",\"index\":1,"
                + "\"release\":2,\"state\":\"RUNNING\"}", Instance.class);

        assertThat(app.sizes()).isEmpty();
        assertThat(instance.cpus()).isZero();
        assertThat(instance.memoryMb()).isZero();
        assertThat(instance.has(null)).isTrue();
        assertThat(instance.has(new Size("small", 0.1, 256))).isFalse();
    }

    @Test
    void aSizeOutsideItsBoundsIsRefusedNamingThem() {
        assertThatThrownBy(() -> Size.of(0, 512)).hasMessage("cpus must be from 0.01 to 1024, not 0");
        assertThatThrownBy(() -> Size.of(Double.NaN, 512)).hasMessageContaining("cpus must be from 0.01");
        assertThatThrownBy(() -> Size.of(2048, 512)).hasMessage("cpus must be from 0.01 to 1024, not 2048");
        assertThatThrownBy(() -> Size.of(1, 16)).hasMessage("memory must be from 32 to 1048576 MB, not 16");
        assertThatThrownBy(() -> new Size("Big One", 1, 512)).hasMessageContaining("size name 'Big One' is not valid");
        assertThatThrownBy(() -> App.created("a", Instant.EPOCH).withSize("bad type!", Size.of(1, 512)))
                .hasMessageContaining("is not a valid name");
        assertThat(Map.of("web", Size.of(0.25, 512)).get("web").describe()).isEqualTo("0.25 cpus, 512 MB");
    }
}
