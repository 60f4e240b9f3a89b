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
        version = Main.VERSION,
        description = "A Heroku-style platform as a service on Apache Mesos.",
        footer = {"", Main.FOOTER},
        subcommands = {
            CommandLine.HelpCommand.class,
            UpCommand.class,
            RouterCommand.class,
            RouterCredentialsCommand.class,
            FrameworkCommand.class,
            AppsCommands.Create.class,
            AppsCommands.List.class,
            AppsCommands.Info.class,
            AppsCommands.Update.class,
            AppsCommands.Destroy.class,
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
            PsCommands.Restart.class,
            PsCommands.Stop.class,
            PsCommands.Constraints.class,
            PsCommands.Resize.class,
            LogsCommand.class,
            RunCommand.class,
            EventsCommand.class,
            AppsCommands.Releases.class,
            ReleaseCommands.Info.class,
            ReleaseCommands.Rollback.class,
            ConfigCommands.Show.class,
            ConfigCommands.Get.class,
            ConfigCommands.Set.class,
            ConfigCommands.Unset.class,
            DeploymentsCommand.class,
            ApplyCommand.class,
            DomainsCommands.List.class,
            DomainsCommands.Add.class,
            DomainsCommands.Remove.class,
            FeaturesCommands.List.class,
            FeaturesCommands.Info.class,
            FeaturesCommands.Enable.class,
            FeaturesCommands.Disable.class,
            CertsCommands.List.class,
            CertsCommands.Add.class,
            CertsCommands.Remove.class,
            GitCommands.Remote.class,
            GitCommands.Credential.class,
            AuthCommands.Login.class,
            AuthCommands.Logout.class,
            AuthCommands.Tokens.class,
            AuthCommands.TokensCreate.class,
            AuthCommands.TokensRevoke.class,
            AuthCommands.Users.class,
            AuthCommands.UsersAdd.class,
            AuthCommands.Teams.class,
            AuthCommands.TeamsCreate.class,
            AuthCommands.TeamsAddMember.class,
            AuthCommands.TeamsRemoveMember.class,
            CompletionCommand.class,
        })
public final class Main implements Runnable {
    static final String VERSION = "slipway 0.1.0";
    /** Under every command's usage (picocli's INHERIT scope hands it down). */
    static final String FOOTER = "Exit codes: 0 done, 1 failed, 2 wrong usage. `slipway help COMMAND` shows a "
            + "command's options; `source <(slipway completion bash)` completes commands in bash or zsh.";
    static final int OK = 0;
    static final int FAILURE = 1;
    static final int USAGE = 2;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        int code = run(args);
        QuickExit.stopHttpSelectors();
        System.exit(code);
    }

    /** Runs the command line and returns its exit code (for tests). */
    public static int run(String... args) {
        return commandLine(args).execute(args);
    }

    /** The command line with every verb and Slipway's error handling. */
    static CommandLine commandLine() {
        return handled(new CommandLine(new Main()));
    }

    /**
     * The command line for {@code args}: when they start with a verb, only that verb's model is
     * built. picocli builds every command's model up front, which was about half of a client
     * verb's start (bench/cli-latency); the verbs are still listed once, in {@link Main}'s
     * annotation. Anything else ({@code help}, {@code --help}, an unknown verb) gets them all.
     */
    static CommandLine commandLine(String... args) {
        if (args.length > 0 && !args[0].equals("help") && !args[0].equals("completion")) {
            for (Class<?> verb : Main.class.getAnnotation(Command.class).subcommands()) {
                Command command = verb.getAnnotation(Command.class);
                if (command != null && command.name().equals(args[0])) {
                    return handled(new CommandLine(new OneVerb()).addSubcommand(verb));
                }
            }
        }
        return commandLine();
    }

    /** The root of a command line built for one verb: {@link Main} without its list of verbs. */
    @Command(name = "slipway", mixinStandardHelpOptions = true, scope = CommandLine.ScopeType.INHERIT,
            version = Main.VERSION, footer = {"", Main.FOOTER})
    static final class OneVerb implements Runnable {
        @Override
        public void run() {
            throw new IllegalStateException("a command line built for one verb runs that verb");
        }
    }

    private static CommandLine handled(CommandLine commandLine) {
        return commandLine
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
