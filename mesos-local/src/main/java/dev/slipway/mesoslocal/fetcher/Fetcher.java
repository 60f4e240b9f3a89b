package dev.slipway.mesoslocal.fetcher;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import org.apache.mesos.v1.Protos.CommandInfo;

/**
 * Brings a command's URIs into a sandbox as Mesos's fetcher does: http(s) downloads and local
 * files (plain paths or file://) are copied to the sandbox under their base name or
 * {@code output_file}; then {@code executable} makes the file executable, or else
 * {@code extract} (true by default) unpacks archives into the sandbox. No cache.
 *
 * <p>Blocking: call it from a worker thread.
 */
public final class Fetcher {
    private final HttpClient http;

    public Fetcher() {
        this.http = HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NORMAL)
                .connectTimeout(Duration.ofSeconds(30))
                .build();
    }

    /**
     * Fetches every URI in order into {@code sandbox}, writing progress lines to {@code log} (the
     * sandbox's stderr, as the Mesos fetcher does).
     *
     * @throws FetchException naming the first URI that failed and why
     */
    public void fetch(List<CommandInfo.URI> uris, Path sandbox, Consumer<String> log)
            throws FetchException, InterruptedException {
        for (CommandInfo.URI uri : uris) {
            fetch(uri, sandbox, log);
        }
        if (!uris.isEmpty()) {
            log.accept("Successfully fetched all URIs into '" + sandbox + "'");
        }
    }

    private void fetch(CommandInfo.URI uri, Path sandbox, Consumer<String> log)
            throws FetchException, InterruptedException {
        String shown = redact(uri.getValue());
        log.accept("Fetching URI '" + shown + "'");
        try {
            Path target = sandbox.resolve(outputName(uri)).normalize();
            if (!target.startsWith(sandbox.normalize())) {
                throw new IOException("output file '" + uri.getOutputFile() + "' is outside the sandbox");
            }
            Files.createDirectories(target.getParent());
            String scheme = scheme(uri.getValue());
            if (scheme == null || scheme.equals("file")) {
                copyLocal(uri.getValue(), scheme, target, log);
            } else if (scheme.equals("http") || scheme.equals("https")) {
                download(uri.getValue(), target, log, shown);
            } else {
                throw new IOException("unsupported URI scheme '" + scheme + "' (mesos-local fetches http, https and"
                        + " local files)");
            }
            if (uri.getExecutable()) {
                Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rwxr-xr-x"));
            } else if (uri.getExtract()) {
                if (Archives.isArchive(target)) {
                    Archives.extract(target, sandbox);
                    log.accept("Extracted '" + target + "' into '" + sandbox + "'");
                } else {
                    log.accept("Copying instead of extracting resource from URI with 'extract' flag, because it"
                            + " does not seem to be an archive: " + shown);
                }
            }
        } catch (IOException | IllegalArgumentException e) {
            throw new FetchException("Failed to fetch '" + shown + "': " + e.getMessage(), e);
        }
    }

    private static String outputName(CommandInfo.URI uri) throws IOException {
        if (uri.hasOutputFile() && !uri.getOutputFile().isEmpty()) {
            if (uri.getOutputFile().startsWith("/")) {
                throw new IOException("output file '" + uri.getOutputFile() + "' must be relative to the sandbox");
            }
            return uri.getOutputFile();
        }
        String path = uri.getValue();
        String scheme = scheme(path);
        if (scheme != null) {
            try {
                path = new URI(path).getPath();
            } catch (URISyntaxException e) {
                throw new IOException("malformed URI: " + e.getMessage());
            }
        }
        if (path == null) {
            throw new IOException("malformed URI: no path");
        }
        String base = path.substring(path.lastIndexOf('/') + 1);
        if (base.isEmpty() || base.equals(".") || base.equals("..")) {
            throw new IOException("malformed URI: it names no file");
        }
        return base;
    }

    private static void copyLocal(String value, String scheme, Path target, Consumer<String> log) throws IOException {
        Path source;
        if (scheme == null) {
            source = Path.of(value);
            if (!source.isAbsolute()) {
                throw new IOException("A relative path was passed for the resource but the Mesos framework home"
                        + " was not specified. Please either provide this config option or avoid using a relative"
                        + " path");
            }
        } else {
            try {
                source = Path.of(new URI(value));
            } catch (URISyntaxException | IllegalArgumentException e) {
                throw new IOException("malformed file URI: " + e.getMessage());
            }
        }
        if (!Files.isRegularFile(source)) {
            throw new IOException("'" + source + "' is not a file");
        }
        log.accept("Copying resource with command:cp '" + source + "' '" + target + "'");
        Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING);
    }

    private void download(String value, Path target, Consumer<String> log, String shown)
            throws IOException, InterruptedException {
        log.accept("Downloading resource from '" + shown + "' to '" + target + "'");
        HttpRequest request = HttpRequest.newBuilder(URI.create(value)).timeout(Duration.ofMinutes(10)).GET().build();
        Path partial = target.resolveSibling(target.getFileName() + ".partial");
        HttpResponse<Path> response = http.send(request, HttpResponse.BodyHandlers.ofFile(partial));
        if (response.statusCode() != 200) {
            Files.deleteIfExists(partial);
            throw new IOException("Error downloading resource, received HTTP return code " + response.statusCode());
        }
        Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING);
    }

    private static String scheme(String value) {
        int colon = value.indexOf("://");
        if (colon <= 0) {
            return null;
        }
        String scheme = value.substring(0, colon);
        return scheme.chars().allMatch(c -> Character.isLetterOrDigit(c) || c == '+' || c == '-' || c == '.')
                ? scheme.toLowerCase(java.util.Locale.ROOT)
                : null;
    }

    /** The URI without user information, fit for logs and status messages. */
    public static String redact(String uri) {
        return uri.replaceFirst("^([a-zA-Z][a-zA-Z0-9+.-]*://)[^/@]*@", "$1");
    }
}
