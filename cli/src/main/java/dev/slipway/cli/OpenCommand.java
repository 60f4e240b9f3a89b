package dev.slipway.cli;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Command;

/** {@code slipway open -a APP}: prints the app's URL, and opens it in a browser on a desktop. */
@Command(name = "open", description = "Print the app's URL, and open it in the browser on a desktop "
        + "(DISPLAY or WAYLAND_DISPLAY set and xdg-open installed).")
final class OpenCommand extends AppCommand {

    @Override
    public Integer call() {
        String url = api.client().get("/apps/" + app).path("web_url").asText("");
        if (url.isEmpty()) {
            throw new CliError("the API gave no URL for " + app + "; see `slipway apps:info -a " + app + "`");
        }
        System.out.println(url);
        Path opener = desktop() ? onPath("xdg-open") : null;
        if (opener != null) {
            try {
                new ProcessBuilder(opener.toString(), url).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                        .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            } catch (IOException e) {
                throw new CliError("could not open " + url + " with " + opener + ": " + e.getMessage()
                        + "; open it in your browser");
            }
        }
        return 0;
    }

    private static boolean desktop() {
        return present("DISPLAY") || present("WAYLAND_DISPLAY");
    }

    private static boolean present(String variable) {
        String value = System.getenv(variable);
        return value != null && !value.isEmpty();
    }

    private static Path onPath(String program) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, program);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return null;
    }
}
