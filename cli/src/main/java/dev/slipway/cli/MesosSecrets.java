package dev.slipway.cli;

import dev.slipway.mesos.Credential;
import dev.slipway.zk.PrivateFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The Mesos secrets of a {@code slipway up} with the embedded mesos-local: the framework's
 * credential (principal {@code slipway}, a random secret) and the agent's executor secret key, made
 * on first start and kept in {@code <data dir>/secrets/} (mode 0700, files 0600), so that the same
 * ones serve every start. Nothing for the user to type; nothing here is ever logged.
 */
record MesosSecrets(Credential framework, byte[] executorSecretKey) {
    static final String PRINCIPAL = "slipway";
    private static final SecureRandom RANDOM = new SecureRandom();

    /** The directory the secrets live in. */
    static Path directory(Path home) {
        return home.resolve("secrets");
    }

    /** Reads the secrets under {@code home}, making those missing; tightens loose permissions. */
    static MesosSecrets loadOrCreate(Path home) {
        Path dir = PrivateFiles.directory(directory(home));
        try {
            String secret = readOrCreate(frameworkSecretFile(home));
            String key = readOrCreate(dir.resolve("mesos-executor-secret-key"));
            return new MesosSecrets(new Credential(PRINCIPAL, secret), key.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep the Mesos secrets in " + dir + ": " + e.getMessage(), e);
        }
    }

    /** The framework secret's file, as {@code --mesos-secret-file} would name it. */
    static Path frameworkSecretFile(Path home) {
        return directory(home).resolve("mesos-framework-secret");
    }

    private static String readOrCreate(Path file) throws IOException {
        if (Files.exists(file)) {
            PrivateFiles.tighten(file);
            String value = Files.readString(file, StandardCharsets.UTF_8).strip();
            if (!value.isEmpty()) {
                return value;
            }
        }
        byte[] random = new byte[32];
        RANDOM.nextBytes(random);
        String value = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        // Written whole under a temporary name, owner-only before anything is in it, then moved in place.
        Path temporary = Files.createTempFile(file.getParent(), file.getFileName().toString(), ".tmp");
        PrivateFiles.tighten(temporary);
        Files.writeString(temporary, value + "\n", StandardCharsets.UTF_8);
        try {
            Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
        }
        return value;
    }

    @Override
    public byte[] executorSecretKey() {
        return executorSecretKey.clone();
    }

    @Override
    public String toString() {
        return "MesosSecrets[framework=" + framework + ", executorSecretKey=***]";
    }
}
