package dev.slipway.cli.apply;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * The content of a source directory as {@code sha256:<hex>}: its paths (sorted), whether each is a
 * folder, an executable file, a file or a symbolic link, file contents and link targets, leaving
 * out {@code .git} as the upload does. Times are left out, so a touched file changes nothing;
 * any change of content, name or executable bit does.
 */
public final class SourceChecksum {
    private SourceChecksum() {
    }

    public static String of(Path dir) {
        MessageDigest sha = sha256();
        Path root = dir.toAbsolutePath().normalize();
        List<Path> paths;
        try (Stream<Path> walk = Files.walk(root)) {
            paths = walk.filter(p -> !p.equals(root))
                    .filter(p -> !root.relativize(p).toString().replace('\\', '/').matches("(.*/)?\\.git(/.*)?"))
                    .sorted((a, b) -> name(root, a).compareTo(name(root, b)))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + dir, e);
        }
        byte[] buffer = new byte[64 * 1024];
        try {
            for (Path path : paths) {
                String kind;
                if (Files.isSymbolicLink(path)) {
                    kind = "l " + Files.readSymbolicLink(path);
                } else if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
                    kind = "d";
                } else {
                    kind = (Files.isExecutable(path) ? "x " : "f ") + Files.size(path);
                }
                sha.update((name(root, path) + "\0" + kind + "\n").getBytes(StandardCharsets.UTF_8));
                if (kind.startsWith("x ") || kind.startsWith("f ")) {
                    try (InputStream in = Files.newInputStream(path)) {
                        for (int n = in.read(buffer); n > 0; n = in.read(buffer)) {
                            sha.update(buffer, 0, n);
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + dir, e);
        }
        return "sha256:" + HexFormat.of().formatHex(sha.digest());
    }

    private static String name(Path root, Path path) {
        return root.relativize(path).toString().replace('\\', '/');
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
