package dev.slipway.cli;

import dev.slipway.zk.PrivateFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The CLI's tokens, one per API URL, in {@code $SLIPWAY_HOME/credentials} (default
 * {@code ~/.slipway/credentials}): one line per API, {@code <api-url> <token>}. The file is made
 * with mode 0600 (never readable by others, not even for a moment) and replaced whole on each
 * change. A token is never taken on the command line, where {@code ps} would show it.
 */
public final class Credentials {
    static final String FILE_NAME = "credentials";
    private final Path file;

    Credentials(Path file) {
        this.file = file;
    }

    /** The credentials file of this user ({@link Locations#home()}). */
    public static Credentials ofThisUser() {
        return new Credentials(Locations.home().resolve(FILE_NAME));
    }

    Path file() {
        return file;
    }

    /**
     * The token the CLI sends to the API at {@code apiUrl}: {@code $SLIPWAY_TOKEN} when set, else
     * this user's credentials file's entry for that URL; empty when neither has one. (The git
     * credential helper answers with it too.)
     */
    public static Optional<String> tokenFor(String apiUrl) {
        String env = System.getenv("SLIPWAY_TOKEN");
        if (env != null && !env.isBlank()) {
            return Optional.of(env.strip());
        }
        return ofThisUser().get(apiUrl);
    }

    /** The stored token for {@code apiUrl}. */
    public Optional<String> get(String apiUrl) {
        return Optional.ofNullable(read().get(key(apiUrl)));
    }

    /** Stores {@code token} for {@code apiUrl}, replacing the one it had. */
    public synchronized void put(String apiUrl, String token) {
        Map<String, String> entries = read();
        entries.put(key(apiUrl), token.strip());
        write(entries);
    }

    /** Forgets the token of {@code apiUrl}; false when there was none. */
    public synchronized boolean remove(String apiUrl) {
        Map<String, String> entries = read();
        boolean had = entries.remove(key(apiUrl)) != null;
        if (had) {
            write(entries);
        }
        return had;
    }

    /** The API URL as the file keys it: without a trailing slash. */
    static String key(String apiUrl) {
        String url = apiUrl.strip();
        while (url.endsWith("/")) {
            url = url.substring(0, url.length() - 1);
        }
        return url;
    }

    private Map<String, String> read() {
        Map<String, String> entries = new TreeMap<>();
        if (!Files.exists(file)) {
            return entries;
        }
        try {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                String[] parts = line.strip().split("\\s+");
                if (parts.length == 2 && !parts[0].startsWith("#")) {
                    entries.put(key(parts[0]), parts[1]);
                }
            }
        } catch (IOException e) {
            throw new CliError("cannot read the credentials file " + file + ": " + e.getMessage());
        }
        return entries;
    }

    private void write(Map<String, String> entries) {
        PrivateFiles.directory(file.toAbsolutePath().getParent());
        try {
            StringBuilder text = new StringBuilder("# Slipway API tokens: <api-url> <token>; keep this file private\n");
            entries.forEach((url, token) -> text.append(url).append(' ').append(token).append('\n'));
            PrivateFiles.replace(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the credentials file " + file + ": " + e.getMessage(), e);
        }
    }
}
