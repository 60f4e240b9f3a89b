package dev.slipway.framework.mesos;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The executor's runnable jar as agents fetch it: at a URL naming the first 16 hex digits of its
 * SHA-256, {@code /executor/<digest>/slipway-executor.jar}, so that the URL changes whenever the
 * jar does and agents may keep it in their fetcher cache. The URL's last segment is the file name
 * the executor command runs ({@code java -jar slipway-executor.jar}).
 *
 * @param path the jar on this machine
 * @param digest the first 16 hex digits of the jar's SHA-256
 */
public record ExecutorJar(Path path, String digest) {
    /** What the jar is called in a sandbox, and the last segment of its URL. */
    public static final String FILE_NAME = "slipway-executor.jar";

    /** Digests by jar, read once per path: the jar is not expected to change while the framework runs. */
    private static final Map<Path, ExecutorJar> READ = new ConcurrentHashMap<>();

    public ExecutorJar {
        Objects.requireNonNull(path, "path");
        if (digest == null || !digest.matches("[0-9a-f]{16}")) {
            throw new IllegalArgumentException("an executor jar digest is 16 lower-case hex digits, not " + digest);
        }
    }

    /**
     * The jar at {@code path}, with its digest. The first call for a path reads the whole jar
     * (blocking: make it at start-up); later ones return what it read.
     *
     * @throws UncheckedIOException when the jar cannot be read
     */
    public static ExecutorJar of(Path path) {
        return READ.computeIfAbsent(path.toAbsolutePath().normalize(), ExecutorJar::read);
    }

    /** The path of the jar's URL on the framework: {@code /executor/<digest>/slipway-executor.jar}. */
    public String urlPath() {
        return "/executor/" + digest + "/" + FILE_NAME;
    }

    private static ExecutorJar read(Path path) {
        MessageDigest sha256;
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no SHA-256", e);
        }
        try (InputStream in = new DigestInputStream(Files.newInputStream(path), sha256)) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the executor jar " + path, e);
        }
        return new ExecutorJar(path, HexFormat.of().formatHex(sha256.digest()).substring(0, 16));
    }
}
