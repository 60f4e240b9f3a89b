package dev.slipway.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Lists as {@code slipway apps}, {@code ps} and {@code releases} print them (tests run without a terminal: no colour). */
class TableTest {
    @Test
    void columnsArePaddedToTheirWidestCellUnderTheHeader() {
        String table = Table.of("Name", "Release", "Web URL")
                .row("hello", "v12", "http://hello.localhost:8080/")
                .row("a-much-longer-name", "not deployed", "http://a-much-longer-name.localhost:8080/")
                .render();

        assertThat(table).isEqualTo("""
                Name                Release       Web URL
                hello               v12           http://hello.localhost:8080/
                a-much-longer-name  not deployed  http://a-much-longer-name.localhost:8080/
                """);
    }

    @Test
    void aRowWithFewerCellsLeavesTheRestEmptyAndNoLineEndsInSpaces() {
        String table = Table.of("Instance", "State", "Message").row("web.1", "up").row("web.2", null, "oom").render();

        assertThat(table).isEqualTo("""
                Instance  State  Message
                web.1     up
                web.2            oom
                """);
    }

    @Test
    void colourCodesDoNotCountTowardsAColumnsWidth() {
        String table = Table.of("State", "Release").row("\u001b[32mup\u001b[0m", "v1").row("crashed", "v2").render();

        assertThat(table).contains("\u001b[32mup\u001b[0m       v1\n").contains("crashed  v2\n");
    }

    @Test
    void anEmptyTableIsItsHeader() {
        Table table = Table.of("ID", "Status");

        assertThat(table.isEmpty()).isTrue();
        assertThat(table.render()).isEqualTo("ID  Status\n");
    }

    @Test
    void aRowWiderThanTheHeaderIsRefused() {
        assertThatThrownBy(() -> Table.of("One").row("a", "b")).isInstanceOf(IllegalArgumentException.class);
    }
}
