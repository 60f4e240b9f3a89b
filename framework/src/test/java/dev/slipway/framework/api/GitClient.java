package dev.slipway.framework.api;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The real {@code git} command in a working copy of its own, as a developer runs it: no global
 * or system configuration, never a prompt. What it prints (git speaks on stderr) is kept as it
 * comes, so that a test sees the {@code remote:} lines of a push while it runs.
 */
final class GitClient {
    private final Path dir;
    private final Path home;

    private GitClient(Path dir, Path home) {
        this.dir = dir;
        this.home = home;
    }

    /** A new repository in {@code dir} whose first branch is {@code main}. */
    static GitClient init(Path dir) throws IOException {
        Files.createDirectories(dir);
        GitClient git = open(dir);
        git.ok("init", "-q", "-b", "main");
        git.ok("config", "user.email", "dev@example.com");
        git.ok("config", "user.name", "Dev");
        return git;
    }

    /** The repository {@link #init} made in {@code dir}. */
    static GitClient open(Path dir) throws IOException {
        return new GitClient(dir, Files.createDirectories(dir.resolveSibling(dir.getFileName() + "-home")));
    }

    Path dir() {
        return dir;
    }

    /** A running git command; what it printed so far can be read while it runs. */
    static final class Run {
        private final Process process;
        private final ByteArrayOutputStream output = new ByteArrayOutputStream();
        private final Thread reader;

        private Run(Process process) {
            this.process = process;
            this.reader = new Thread(() -> {
                byte[] buffer = new byte[4096];
                try (InputStream in = process.getInputStream()) {
                    for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                        synchronized (output) {
                            output.write(buffer, 0, n);
                        }
                    }
                } catch (IOException e) {
                    // The process ended.
                }
            }, "git output");
            reader.setDaemon(true);
            reader.start();
        }

        String output() {
            synchronized (output) {
                return output.toString(StandardCharsets.UTF_8);
            }
        }

        boolean running() {
            return process.isAlive();
        }

        Result await() throws InterruptedException {
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("git did not end; it printed:\n" + output());
            }
            reader.join(10_000);
            return new Result(process.exitValue(), output());
        }
    }

    record Result(int exitCode, String output) {
        @Override
        public String toString() {
            return "exit " + exitCode + ":\n" + output;
        }
    }

    Run start(String... args) {
        List<String> command = new ArrayList<>(List.of("git"));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        Map<String, String> env = builder.environment();
        env.put("HOME", home.toString());
        env.put("XDG_CONFIG_HOME", home.toString());
        env.put("GIT_CONFIG_NOSYSTEM", "1");
        env.put("GIT_TERMINAL_PROMPT", "0");
        env.put("LC_ALL", "C");
        try {
            Process process = builder.start();
            process.getOutputStream().close();
            return new Run(process);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Result run(String... args) throws InterruptedException {
        return start(args).await();
    }

    /** Runs a git command that must succeed and returns what it printed. */
    String ok(String... args) {
        try {
            Result result = run(args);
            if (result.exitCode() != 0) {
                throw new IllegalStateException("git " + String.join(" ", args) + " failed: " + result);
            }
            return result.output();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Writes {@code content} to {@code name} (executable when asked), adds it and commits; returns the commit. */
    String commit(String name, String content, boolean executable) throws IOException {
        Path file = dir.resolve(name);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(executable ? "rwxr-xr-x" : "rw-r--r--"));
        ok("add", "-A");
        ok("commit", "-q", "-m", "change " + name);
        return head();
    }

    String head() {
        return ok("rev-parse", "HEAD").strip();
    }

    /** The commit a remote's branch is at; empty when it has no such branch. */
    String remoteBranch(String url, String branch) {
        String line = ok("ls-remote", url, "refs/heads/" + branch).strip();
        return line.isEmpty() ? "" : line.split("\\s+")[0];
    }
}
