package dev.slipway.cli;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code git push slipway main}: the remote that deploys, and the credentials git sends to it. */
final class GitCommands {
    private GitCommands() {
    }

    @Command(name = "git:remote", description = "Add (or update) a git remote that deploys the app on `git push "
            + "slipway main`, in the git repository of the current directory.")
    static final class Remote extends AppCommand {
        @Option(names = {"-r", "--remote"}, defaultValue = "slipway", description = "the remote's name (default: "
                + "${DEFAULT-VALUE})")
        String remote;
        @Option(names = {"-C", "--directory"}, description = "the git repository (default: the current directory)")
        Path directory;

        @Override
        public Integer call() {
            Path dir = (directory != null ? directory : Path.of("")).toAbsolutePath().normalize();
            if (git(dir, "rev-parse", "--git-dir").exitCode() != 0) {
                throw new CliError(dir + " is not in a git repository: run `git init` there first (or pass -C DIR)");
            }
            ApiClient client = api.client();
            // The app must exist: a remote to nothing would fail only at the first push.
            client.get("/apps/" + app);
            URI base = client.base();
            String url = base.resolve("git/" + app + ".git").toString();
            boolean exists = git(dir, "remote", "get-url", remote).exitCode() == 0;
            must(git(dir, "remote", exists ? "set-url" : "add", remote, url), "cannot set the remote");
            // Git asks this helper (and no other: the empty entry drops those of other config
            // files) for the credentials of every URL of this API.
            String key = "credential." + withoutSlash(base) + ".helper";
            must(git(dir, "config", "--local", "--replace-all", key, ""), "cannot configure the credential helper");
            must(git(dir, "config", "--local", "--add", key, "!" + launcher() + " git:credential"),
                    "cannot configure the credential helper");
            System.out.println((exists ? "Updated" : "Added") + " git remote " + remote + " -> " + url);
            System.out.println("Deploy with: git push " + remote + " main");
            return 0;
        }

        private static String withoutSlash(URI base) {
            String text = base.toString();
            return text.endsWith("/") ? text.substring(0, text.length() - 1) : text;
        }

        private static void must(Outcome outcome, String what) {
            if (outcome.exitCode() != 0) {
                throw new CliError(what + ": git said " + outcome.output().strip());
            }
        }
    }

    @Command(name = "git:credential", hidden = true, description = "Git's credential helper for Slipway's git "
            + "URLs (git:remote configures it): answers `get` with the API token.")
    static final class Credential implements Callable<Integer> {
        @Parameters(paramLabel = "OPERATION", description = "get, store or erase (git's credential helper protocol)")
        String operation;

        @Override
        public Integer call() throws IOException {
            // Git writes the request (key=value lines, then an empty line) whatever the operation.
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) {
                // Nothing in the request changes the answer: one token per API.
            }
            if (!"get".equals(operation)) {
                return 0;
            }
            String token = token();
            if (!token.isEmpty()) {
                System.out.print("username=slipway\npassword=" + token + "\n");
                System.out.flush();
            }
            return 0;
        }

        /** The token git sends as the password; empty when there is none (git then asks no more). */
        private static String token() {
            String token = System.getenv("SLIPWAY_TOKEN");
            return token == null ? "" : token.strip();
        }
    }

    /**
     * How git runs this CLI, whether or not {@code slipway} is on the PATH: the repository's
     * {@code slipway} script when it started this JVM ({@code $SLIPWAY_LAUNCHER}), otherwise this
     * very JVM and class path; absolute paths, quoted for git's shell.
     */
    static String launcher() {
        String script = System.getenv("SLIPWAY_LAUNCHER");
        if (script != null && !script.isBlank() && Files.isExecutable(Path.of(script))) {
            return quote(Path.of(script).toAbsolutePath().toString());
        }
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> classPath = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            classPath.add(Path.of(entry).toAbsolutePath().toString());
        }
        return quote(java) + " -cp " + quote(String.join(File.pathSeparator, classPath)) + " "
                + Main.class.getName();
    }

    private static String quote(String word) {
        return "'" + word.replace("'", "'\\''") + "'";
    }

    record Outcome(int exitCode, String output) {
    }

    static Outcome git(Path dir, String... args) {
        List<String> command = new ArrayList<>(List.of("git", "-C", dir.toString()));
        command.addAll(List.of(args));
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            process.getOutputStream().close();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new CliError("git did not answer: " + String.join(" ", args));
            }
            return new Outcome(process.exitValue(), output);
        } catch (IOException e) {
            throw new CliError("cannot run git (is it installed?): " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliError("interrupted while running git");
        }
    }
}
