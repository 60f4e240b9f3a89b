package dev.slipway.slug;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The stack image, made by the repository's {@code stack/build} script: idempotent (it returns at
 * once when the image for the current package list exists), progress on its stderr, and the
 * image's reference as the only line on its stdout.
 */
public final class StackImage {
    private StackImage() {
    }

    /**
     * Makes the stack image unless it exists, and returns its reference ({@code slipway/stack:<tag>}).
     *
     * @param progress receives the script's progress lines as they come
     * @throws IllegalStateException with the script's last words when it cannot be made
     */
    public static String ensure(Path stackDir, Consumer<String> progress) {
        return run(stackDir, List.of(), progress);
    }

    /** The reference the current stack inputs give, without making the image. */
    public static String reference(Path stackDir) {
        return run(stackDir, List.of("--print-tag"), line -> { });
    }

    private static String run(Path stackDir, List<String> args, Consumer<String> progress) {
        Path script = stackDir.resolve("build");
        if (!Files.isExecutable(script)) {
            throw new IllegalStateException("no stack script at " + script);
        }
        List<String> command = new ArrayList<>(List.of(script.toString()));
        command.addAll(args);
        List<String> errors = new ArrayList<>();
        try {
            Process process = new ProcessBuilder(command).directory(stackDir.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .start();
            Thread stderr = new Thread(() -> forEachLine(process, line -> {
                errors.add(line);
                progress.accept(line);
            }), "stack-build-progress");
            stderr.setDaemon(true);
            stderr.start();
            String image;
            try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                image = out.lines().reduce((first, second) -> second).orElse("").strip();
            }
            int exit = process.waitFor();
            stderr.join(5_000);
            if (exit != 0 || !image.startsWith("slipway/stack:")) {
                String reason = errors.isEmpty() ? "exited " + exit : errors.get(errors.size() - 1).strip();
                throw new IllegalStateException("cannot make the stack image: " + reason);
            }
            return image;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + script, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while making the stack image", e);
        }
    }

    private static void forEachLine(Process process, Consumer<String> lines) {
        try (BufferedReader err = new BufferedReader(new InputStreamReader(process.getErrorStream(),
                StandardCharsets.UTF_8))) {
            err.lines().forEach(lines);
        } catch (IOException e) {
            lines.accept("(progress unreadable: " + e.getMessage() + ")");
        }
    }
}
