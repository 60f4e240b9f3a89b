package dev.slipway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Every command answers {@code --help} and {@code -h} with its usage, whatever options it requires. */
class HelpTest {
    @Test
    void everyCommandAnswersHelpAndHWithItsUsage() {
        List<String> commands = List.copyOf(new CommandLine(new Main()).getSubcommands().keySet());
        assertThat(commands).contains("up", "router", "deploy", "ps", "ps:constraints", "ps:resize");

        for (String command : commands) {
            for (String flag : List.of("--help", "-h")) {
                StringWriter out = new StringWriter();
                StringWriter err = new StringWriter();
                int exit = new CommandLine(new Main()).setOut(new PrintWriter(out)).setErr(new PrintWriter(err))
                        .execute(command, flag);

                assertThat(exit).as("%s %s exits 0 (err: %s)", command, flag, err).isZero();
                assertThat(out.toString()).as("%s %s", command, flag).contains("Usage: slipway " + command);
            }
        }
    }
}
