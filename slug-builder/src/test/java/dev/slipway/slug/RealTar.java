package dev.slipway.slug;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The real {@code tar} command, as developers and the Mesos fetcher run it. */
final class RealTar {
    private RealTar() {
    }

    /** {@code tar czf - -C dir .}: what {@code slipway deploy} uploads. */
    static byte[] create(Path dir) {
        return run(List.of("tar", "czf", "-", "-C", dir.toString(), "."));
    }

    static void extract(Path tgz, Path into) {
        run(List.of("tar", "-xzf", tgz.toString(), "-C", into.toString()));
    }

    static List<String> list(Path tgz) {
        return new String(run(List.of("tar", "-tzf", tgz.toString())), StandardCharsets.UTF_8).lines().toList();
    }

    private static byte[] run(List<String> command) {
        try {
            Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            process.getOutputStream().close();
            byte[] out = process.getInputStream().readAllBytes();
            if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException(command + " failed");
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
