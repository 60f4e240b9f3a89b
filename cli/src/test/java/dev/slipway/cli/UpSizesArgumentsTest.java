package dev.slipway.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.slipway.framework.deploy.Sizes;
import dev.slipway.zk.Size;
import picocli.CommandLine;
import org.junit.jupiter.api.Test;

/** {@code slipway up --size NAME=CPUS:MEMORY_MB} and {@code --default-size NAME}, read before anything starts. */
class UpSizesArgumentsTest {
    @Test
    void sizesChangeOrAddToTheBuiltInOnesAndOneIsTheDefault() {
        Sizes sizes = up("--size", "large=1:2048", "--size", "gpu-box=4:8192", "--default-size", "medium").sizes();

        assertThat(sizes.named("large")).isEqualTo(new Size("large", 1, 2048));
        assertThat(sizes.named("gpu-box")).isEqualTo(new Size("gpu-box", 4, 8192));
        assertThat(sizes.defaultSize().name()).isEqualTo("medium");
        assertThat(up().sizes()).isEqualTo(Sizes.DEFAULT);
    }

    @Test
    void aBadSizeOrAnUnknownDefaultIsRefusedNamingIt() {
        assertThatThrownBy(() -> up("--size", "large").sizes())
                .hasMessage("--size: size 'large' is not NAME=CPUS:MEMORY_MB, e.g. large=0.5:1024");
        assertThatThrownBy(() -> up("--size", "large=half:1024").sizes())
                .hasMessageContaining("CPUS is a number and MEMORY_MB a whole number");
        assertThatThrownBy(() -> up("--size", "large=0:1024").sizes())
                .hasMessage("--size: size 'large=0:1024': cpus must be from 0.01 to 1024, not 0");
        assertThatThrownBy(() -> up("--size", "Large=1:1024").sizes()).hasMessageContaining("is not valid");
        assertThatThrownBy(() -> up("--default-size", "huge").sizes())
                .isInstanceOf(CliError.class)
                .hasMessage("--default-size: unknown size 'huge': the sizes are small, medium, large, xlarge, 2xlarge");
    }

    private static UpCommand up(String... args) {
        UpCommand up = new UpCommand();
        new CommandLine(up).parseArgs(args);
        return up;
    }
}
