package dev.slipway.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code slipway} command; {@code -h}/{@code --help} on it and on every subcommand, and
 * {@code slipway help COMMAND}. Exit codes: {@link #OK}, {@link #FAILURE} (the command failed, or
 * the API refused it), {@link #USAGE} (the command line is wrong or lacks something).
 */
@Command(name = "slipway", mixinStandardHelpOptions = true, scope = CommandLine.ScopeType.INHERIT,
        version = "slipway 0.1.0",
        description = "A Heroku-style platform as a service on Apache Mesos.",
        footer = {"", "Exit codes: 0 done, 1 failed, 2 wrong usage. `slipway help COMMAND` shows a command's "
                + "options; `source <(slipway completion bash)` completes commands in bash or zsh."},
        subcommands = {
            CommandLine.HelpCommand.class,
            UpCommand.class,
            RouterCommand.class,
            FrameworkCommand.class,
            AppsCommands.Create.class,
            AppsCommands.List.class,
            AppsCommands.Info.class,
            AppsCommands.Update.class,
            OpenCommand.class,
            DeployCommand.class,
            BuildsCommands.Builds.class,
            BuildsCommands.Output.class,
            BuildpacksCommands.Show.class,
            BuildpacksCommands.Set.class,
            BuildpacksCommands.Add.class,
            BuildpacksCommands.Remove.class,
            BuildpacksCommands.Clear.class,
            PsCommands.Ps.class,
            PsCommands.Scale.class,
            PsCommands.Constraints.class,
            PsCommands.Resize.class,
            LogsCommand.class,
            AppsCommands.Releases.class,
            CompletionCommand.class,
        })
public final class Main implements Runnable {
    static final int OK = 0;
    static final int FAILURE = 1;
    static final int USAGE = 2;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line and returns its exit code (for tests). */
    public static int run(String... args) {
        return commandLine().execute(args);
    }

    /** The command line with Slipway's error handling: one line naming the next step, and the exit codes above. */
    static CommandLine commandLine() {
        return new CommandLine(new Main())
                .setExecutionStrategy(Main::execute)
                .setParameterExceptionHandler((e, args) -> {
                    CommandLine command = e.getCommandLine();
                    PrintWriter err = command.getErr();
                    err.println(prefix() + e.getMessage());
                    CommandLine.UnmatchedArgumentException.printSuggestions(e, err);
                    err.println("See `" + command.getCommandSpec().qualifiedName() + " --help`.");
                    return USAGE;
                })
                .setExecutionExceptionHandler((e, command, parsed) -> {
                    if (e instanceof CliError error) {
                        return failed(command, error);
                    }
                    command.getErr().println(prefix() + (e.getMessage() == null ? e.toString() : e.getMessage()));
                    return FAILURE;
                });
    }

    /** Runs the last subcommand as picocli does, once the app of an app's verb is known. */
    private static int execute(CommandLine.ParseResult parsed) {
        Integer help = CommandLine.executeHelpRequest(parsed);
        if (help != null) {
            return help;
        }
        CommandLine.ParseResult last = parsed;
        while (last.hasSubcommand()) {
            last = last.subcommand();
        }
        if (last.commandSpec().userObject() instanceof AppCommand command) {
            try {
                command.resolveApp(Path.of(System.getProperty("user.dir")));
            } catch (CliError e) {
                return failed(last.commandSpec().commandLine(), e);
            }
        }
        return new CommandLine.RunLast().execute(parsed);
    }

    private static int failed(CommandLine command, CliError error) {
        command.getErr().println(prefix() + error.getMessage());
        return error.exitCode();
    }

    private static String prefix() {
        return Terminal.red("error:") + " ";
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
