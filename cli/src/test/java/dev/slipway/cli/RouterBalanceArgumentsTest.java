package dev.slipway.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code slipway router --balance} takes the two ways the router knows, and refuses others before it connects anywhere. */
class RouterBalanceArgumentsTest {
    private static RouterCommand parsed(String... balance) {
        RouterCommand command = new RouterCommand();
        String[] args = new String[4 + balance.length];
        System.arraycopy(new String[] {"--zk", "127.0.0.1:1", "--zk-credentials-file", "/nonexistent"}, 0, args, 0, 4);
        System.arraycopy(balance, 0, args, 4, balance.length);
        new CommandLine(command).parseArgs(args);
        return command;
    }

    @Test
    void aBalanceOtherThanLeastOutstandingOrRoundRobinIsRefused() {
        assertThatThrownBy(() -> parsed("--balance", "fastest").call())
                .isInstanceOf(CliError.class)
                .hasMessage("router balance must be one of least-outstanding, round-robin, not 'fastest'");
    }

    @Test
    void theDefaultIsLeastOutstanding() {
        assertThat(parsed().balance).isEqualTo("least-outstanding");
        assertThat(parsed("--balance", "round-robin").balance).isEqualTo("round-robin");
    }
}
