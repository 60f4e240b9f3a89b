package dev.slipway.framework;

import dev.slipway.framework.mesos.MesosSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;

/** Framework settings for tests: a master and an API on loopback, data and an (empty) executor jar in {@code dir}. */
public final class TestConfigs {
    private TestConfigs() {
    }

    public static FrameworkConfig onLoopback(Path dir) {
        Path jar = dir.resolve("slipway-executor.jar");
        try {
            if (Files.notExists(jar)) {
                Files.createFile(jar);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new FrameworkConfig(new MesosSettings(URI.create("http://127.0.0.1:5050"), null, null, null, null, null,
                null), "127.0.0.1", 0, URI.create("http://127.0.0.1:7070"), dir, jar, dir, null, 8080, null);
    }

    /** A signer with a fixed key, as the framework's (kept in ZooKeeper) would sign. */
    public static dev.slipway.framework.auth.Signer signer() {
        return new dev.slipway.framework.auth.Signer(new byte[32]);
    }
}
