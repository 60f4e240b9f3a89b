package dev.slipway.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code slipway} command; {@code -h}/{@code --help} on it and on every subcommand. */
@Command(name = "slipway", mixinStandardHelpOptions = true, scope = CommandLine.ScopeType.INHERIT,
        version = "slipway 0.1.0",
        description = "A Heroku-style platform as a service on Apache Mesos.",
        subcommands = {
            UpCommand.class,
            RouterCommand.class,
            FrameworkCommand.class,
            AppsCommands.Create.class,
            AppsCommands.List.class,
            AppsCommands.Info.class,
            AppsCommands.Update.class,
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
            EventsCommand.class,
            AppsCommands.Releases.class,
            GitCommands.Remote.class,
            GitCommands.Credential.class,
        })
public final class Main implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line and returns its exit code (for tests). */
    public static int run(String... args) {
        return new CommandLine(new Main())
                .setExecutionExceptionHandler((e, cmd, parsed) -> {
                    cmd.getErr().println("error: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
                    return 1;
                })
                .execute(args);
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
