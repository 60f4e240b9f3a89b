package dev.slipway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * Every command answers {@code --help}, {@code -h} and {@code slipway help COMMAND} with its usage,
 * whatever options it requires; {@code slipway completion} prints a script that completes them all.
 */
class HelpTest {
    @Test
    void everyCommandAnswersHelpAndHWithItsUsage() {
        List<String> commands = List.copyOf(Main.commandLine().getSubcommands().keySet());
        assertThat(commands).contains("up", "router", "deploy", "ps", "ps:constraints", "ps:resize");

        for (String command : commands) {
            for (String flag : List.of("--help", "-h")) {
                // The full command line, and the one built for the verb alone, as Main.run builds it.
                for (CommandLine commandLine : List.of(Main.commandLine(), Main.commandLine(command, flag))) {
                    StringWriter out = new StringWriter();
                    StringWriter err = new StringWriter();
                    int exit = commandLine.setOut(new PrintWriter(out)).setErr(new PrintWriter(err))
                            .execute(command, flag);

                    assertThat(exit).as("%s %s exits 0 (err: %s)", command, flag, err).isZero();
                    assertThat(out.toString()).as("%s %s", command, flag).contains("Usage: slipway " + command)
                            .contains("-h, --help");
                    assertThat(err.toString()).as("%s %s", command, flag).isEmpty();
                }
            }
        }
    }

    @Test
    void everyCommandDeclaresTheHelpOptionsInItsUsage() {
        for (var verb : Main.commandLine().getSubcommands().entrySet()) {
            assertThat(verb.getValue().getCommandSpec().optionsMap()).as(verb.getKey())
                    .containsKeys("--help", "-h");
            assertThat(verb.getValue().getCommandSpec().mixinStandardHelpOptions()
                    || verb.getValue().getCommandSpec().optionsMap().get("--help").usageHelp())
                    .as("%s: --help is picocli's usage help", verb.getKey()).isTrue();
        }
    }

    @Test
    void helpCommandShowsTheCommandsUsageAndExitsZero() {
        StringWriter out = new StringWriter();
        int exit = Main.commandLine().setOut(new PrintWriter(out)).execute("help", "ps");

        assertThat(exit).isZero();
        assertThat(out.toString()).contains("Usage: slipway ps").contains("-a, --app=APP").contains("--json");
    }

    @Test
    void helpOfAnUnknownCommandIsAUsageError() {
        StringWriter err = new StringWriter();
        int exit = Main.commandLine().setErr(new PrintWriter(err)).execute("help", "no-such-verb");

        assertThat(exit).isEqualTo(Main.USAGE);
        assertThat(err.toString()).contains("no-such-verb");
    }

    @Test
    void theCompletionScriptCompletesEveryCommandInBashAndZsh() throws Exception {
        // Hidden commands (git:credential, which git runs) are not offered.
        List<String> commands = Main.commandLine().getSubcommands().entrySet().stream()
                .filter(command -> !command.getValue().getCommandSpec().usageMessage().hidden())
                .map(java.util.Map.Entry::getKey).toList();
        assertThat(commands).contains("apps", "ps", "git:remote", "completion", "open");
        for (String shell : List.of("bash", "zsh")) {
            PrintStream stdout = System.out;
            ByteArrayOutputStream script = new ByteArrayOutputStream();
            int exit;
            try {
                System.setOut(new PrintStream(script, true, StandardCharsets.UTF_8));
                exit = Main.run("completion", shell);
            } finally {
                System.setOut(stdout);
            }

            assertThat(exit).isZero();
            String text = script.toString(StandardCharsets.UTF_8);
            assertThat(text).as(shell).contains("complete -F _complete_slipway");
            for (String command : commands) {
                assertThat(text).as("%s completes %s", shell, command).contains(command);
            }
            assertThat(text).as("zsh loads bash completion itself").contains("bashcompinit");
        }
    }

    @Test
    void bashAcceptsTheCompletionScript() throws Exception {
        Path script = Files.createTempFile("slipway-completion-", ".bash");
        try {
            PrintStream stdout = System.out;
            try (PrintStream file = new PrintStream(Files.newOutputStream(script), true, StandardCharsets.UTF_8)) {
                System.setOut(file);
                Main.run("completion", "bash");
            } finally {
                System.setOut(stdout);
            }
            Process bash = new ProcessBuilder("bash", "-c", "source \"$0\" && complete -p slipway", script.toString())
                    .redirectErrorStream(true).start();
            String out = new String(bash.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

            assertThat(bash.waitFor()).as(out).isZero();
            assertThat(out).contains("-F _complete_slipway slipway");
        } finally {
            Files.deleteIfExists(script);
        }
    }

    @Test
    void aCommandLineBuiltForOneVerbShowsThatVerbAsTheFullOneDoes() {
        CommandLine full = Main.commandLine();
        for (String verb : full.getSubcommands().keySet()) {
            CommandLine lazy = Main.commandLine(verb, "--help");

            assertThat(lazy.getSubcommands().get(verb).getUsageMessage()).as(verb)
                    .isEqualTo(full.getSubcommands().get(verb).getUsageMessage());
        }
        assertThat(Main.commandLine("apps").getSubcommands()).as("only the verb asked for").containsOnlyKeys("apps");
        assertThat(Main.commandLine("no-such-verb").getSubcommands()).containsKeys("apps", "ps", "help");
    }
}
