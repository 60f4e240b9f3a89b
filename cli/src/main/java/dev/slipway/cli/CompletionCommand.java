package dev.slipway.cli;

import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code slipway completion [bash|zsh]}: the completion script picocli generates from the
 * commands themselves, for {@code source <(slipway completion bash)}. One script serves both
 * shells: in zsh it loads {@code bashcompinit} itself. It takes the colon out of bash's word
 * breaks, so that verbs such as {@code apps:create} complete whole (as npm's script does for
 * {@code =} and {@code @}).
 */
@Command(name = "completion", description = "Print the shell completion script for bash or zsh; install it with "
        + "`source <(slipway completion bash)` (in ~/.bashrc or ~/.zshrc to keep it).")
final class CompletionCommand implements Callable<Integer> {
    enum Shell { bash, zsh }

    @Spec
    CommandSpec spec;
    @Parameters(paramLabel = "SHELL", arity = "0..1", defaultValue = "bash", description = "bash (default) or zsh")
    Shell shell;

    @Override
    public Integer call() {
        // bash splits words at colons by default, so `apps:i<TAB>` would complete `i` alone.
        System.out.print(AutoComplete.bash("slipway", spec.root().commandLine())
                + "COMP_WORDBREAKS=${COMP_WORDBREAKS//:}\n");
        System.out.flush();
        return 0;
    }
}
