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
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;
import org.apache.mesos.v1.Protos.CommandInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings a command's URIs into a sandbox as Mesos's fetcher does: http(s) downloads and local
 * files (plain paths or file://) are copied to the sandbox under their base name or
 * {@code output_file}; then {@code executable} makes the file executable, or else
 * {@code extract} (true by default) unpacks archives into the sandbox.
 *
 * <p>A URI with {@code cache} goes through the agent's fetcher cache (see {@link FetcherCache}):
 * downloaded once per user into the cache, then copied from there into each sandbox, or for an
 * archive to extract, extracted from there (the sandbox then holds no copy of the archive). A
 * fetch finding the URI being downloaded by another waits for it. When the cache cannot be used
 * (the size is unknown, there is no room, the download it waited for failed), the URI is fetched
 * directly into the sandbox, as Mesos falls back. A failed download leaves nothing in the cache.
 *
 * <p>Blocking: call it from a worker thread. Safe for concurrent fetches.
 */
public final class Fetcher {
    private static final Logger LOG = LoggerFactory.getLogger(Fetcher.class);

    private final HttpClient http;
    private final FetcherCache cache;

    /**
     * A fetcher whose cache lives in {@code cacheDirectory} and holds at most {@code cacheSize} bytes
     * (0 turns it off). What an earlier run left in the directory is deleted, as a Mesos agent does
     * at start.
     *
     * @throws IOException when the old cache cannot be deleted
     */
    public Fetcher(Path cacheDirectory, long cacheSize) throws IOException {
        this.http = HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NORMAL)
                .connectTimeout(Duration.ofSeconds(30))
                .build();
        this.cache = new FetcherCache(cacheDirectory, cacheSize);
        cache.clear();
    }

    /** Bytes the cache's files take; for tests and metrics. */
    public long cacheUsedBytes() {
        return cache.usedSpace();
    }

    /** One URI of a fetch, and how it is fetched. */
    private static final class Item {
        final CommandInfo.URI uri;
        final String shown;
        final String baseName;
        final String outputName;
        /** Through the cache when set, else directly into the sandbox. */
        FetcherCache.Use use;

        Item(CommandInfo.URI uri) throws IOException {
            this.uri = uri;
            this.shown = redact(uri.getValue());
            // Mesos refuses a URI without a base name even when it has an output file.
            this.baseName = baseName(uri.getValue());
            this.outputName = outputName(uri, baseName);
        }
    }

    /**
     * Fetches every URI in order into {@code sandbox}, writing progress lines to {@code log} (the
     * sandbox's stderr, as the Mesos fetcher does).
     *
     * @param user who the fetch is for ({@code CommandInfo.user}), null for none: cache files are
     *     per user
     * @throws FetchException naming the first URI that failed and why
     */
    public void fetch(List<CommandInfo.URI> uris, Path sandbox, String user, Consumer<String> log)
            throws FetchException, InterruptedException {
        List<Item> items = new ArrayList<>();
        for (CommandInfo.URI uri : uris) {
            try {
                items.add(new Item(uri));
            } catch (IOException e) {
                throw new FetchException("Failed to fetch '" + redact(uri.getValue()) + "': " + e.getMessage(), e);
            }
        }
        List<FetcherCache.Use> uses = use(items, user);
        boolean fetched = false;
        try {
            prepare(items);
            Set<FetcherCache.Entry> downloaded = new HashSet<>();
            for (Item item : items) {
                fetch(item, sandbox, downloaded, log);
            }
            fetched = true;
        } finally {
            settle(uses, fetched);
        }
        if (!items.isEmpty()) {
            log.accept("Successfully fetched all URIs into '" + sandbox + "'");
        }
    }

    private List<FetcherCache.Use> use(List<Item> items, String user) throws FetchException {
        List<String> cached = new ArrayList<>();
        List<String> baseNames = new ArrayList<>();
        for (Item item : items) {
            cached.add(item.uri.getCache() ? item.uri.getValue() : null);
            baseNames.add(item.baseName);
        }
        List<FetcherCache.Use> uses;
        try {
            uses = cache.use(user, cached, baseNames);
        } catch (IOException e) {
            throw new FetchException("Could not fetch: " + e.getMessage(), e);
        }
        for (int i = 0; i < items.size(); i++) {
            items.get(i).use = uses.get(i);
        }
        return uses;
    }

    /**
     * Makes every cached URI ready to be fetched: space is claimed for the ones this fetch downloads,
     * and downloads of other fetches are waited for. A URI whose cache entry cannot be had is fetched
     * directly instead.
     */
    private void prepare(List<Item> items) throws InterruptedException {
        for (Item item : items) {
            FetcherCache.Use use = item.use;
            if (use != null && use.created && use.entry.pending()) {
                try {
                    cache.reserve(use.entry, size(item.uri.getValue()));
                } catch (IOException e) {
                    cache.fail(use.entry, e.getMessage());
                }
            }
        }
        for (Item item : items) {
            String failure = item.use == null ? null : unusable(item.use);
            if (failure != null) {
                LOG.warn("Reverting to fetching directly into the sandbox for '{}', due to failure to fetch through"
                        + " the cache, with error: {}", item.shown, failure);
                item.use = null;
            }
        }
    }

    /**
     * Why the cache cannot serve this use, null when it can: waits for the download of another
     * fetch, which may fail; an entry this fetch created fails only when it could not claim space.
     */
    private static String unusable(FetcherCache.Use use) throws InterruptedException {
        try {
            if (!use.created) {
                use.entry.completion.get();
            } else if (use.entry.completion.isCompletedExceptionally()) {
                use.entry.completion.getNow(null);
            }
            return null;
        } catch (ExecutionException | CompletionException e) {
            return e.getCause() == null ? e.toString() : e.getCause().getMessage();
        }
    }

    private void fetch(Item item, Path sandbox, Set<FetcherCache.Entry> downloaded, Consumer<String> log)
            throws FetchException, InterruptedException {
        log.accept("Fetching URI '" + item.shown + "'");
        try {
            Path target = sandbox.resolve(item.outputName).normalize();
            if (!target.startsWith(sandbox.normalize())) {
                throw new IOException("output file '" + item.uri.getOutputFile() + "' is outside the sandbox");
            }
            Files.createDirectories(target.getParent());
            if (item.use == null) {
                log.accept("Fetching directly into the sandbox directory");
                fetchDirectly(item, sandbox, target, log);
            } else {
                FetcherCache.Entry entry = item.use.entry;
                // A URI twice in one fetch is downloaded once.
                if (item.use.created && downloaded.add(entry)) {
                    log.accept("Downloading into cache");
                    Files.createDirectories(entry.path.getParent());
                    copyOrDownload(item.uri.getValue(), entry.path, log, item.shown);
                    // Sandboxes get hard links to it: none may change it for the others.
                    Files.setPosixFilePermissions(entry.path, PosixFilePermissions.fromString("r--r--r--"));
                }
                log.accept("Fetching from cache");
                fetchFromCache(item, entry.path, sandbox, target, log);
            }
        } catch (IOException | IllegalArgumentException e) {
            throw new FetchException("Failed to fetch '" + item.shown + "': " + e.getMessage(), e);
        }
    }

    private void fetchDirectly(Item item, Path sandbox, Path target, Consumer<String> log)
            throws IOException, InterruptedException {
        copyOrDownload(item.uri.getValue(), target, log, item.shown);
        if (item.uri.getExecutable()) {
            makeExecutable(target);
        } else if (item.uri.getExtract()) {
            if (Archives.isArchive(target)) {
                Archives.extract(target, sandbox);
                log.accept("Extracted '" + target + "' into '" + sandbox + "'");
            } else {
                log.accept("Copying instead of extracting resource from URI with 'extract' flag, because it"
                        + " does not seem to be an archive: " + item.shown);
            }
        }
    }

    /**
     * Mesos's {@code fetchFromCache}: an archive to extract is extracted from the cache file (which
     * keeps the URI's extension for this); anything else is copied.
     */
    private static void fetchFromCache(Item item, Path cached, Path sandbox, Path target, Consumer<String> log)
            throws IOException, InterruptedException {
        if (item.uri.getExecutable()) {
            Files.copy(cached, target, StandardCopyOption.REPLACE_EXISTING);
            makeExecutable(target);
            return;
        }
        if (item.uri.getExtract()) {
            if (Archives.isArchive(cached)) {
                Archives.extract(cached, sandbox);
                log.accept("Extracted '" + cached + "' into '" + sandbox + "'");
                return;
            }
            log.accept("Copying instead of extracting resource from URI with 'extract' flag, because it"
                    + " does not seem to be an archive: " + item.shown);
        }
        linkOrCopy(cached, target, log);
    }

    /**
     * Gives the sandbox the cache file as a hard link (one copy on disk however many sandboxes have
     * it), falling back to a copy when the cache and the sandbox are on different file systems or the
     * file system has no hard links. Mesos copies here; a link is what its cache is for on one node,
     * and the cache file is read-only so that no sandbox changes it for the others (an executable
     * URI, whose mode the sandbox changes, is copied).
     */
    private static void linkOrCopy(Path cached, Path target, Consumer<String> log) throws IOException {
        Files.deleteIfExists(target);
        try {
            Files.createLink(target, cached);
            log.accept("Linked '" + cached + "' to '" + target + "'");
            return;
        } catch (IOException | UnsupportedOperationException e) {
            log.accept("Copying '" + cached + "' to '" + target + "': it cannot be linked (" + e.getMessage() + ")");
        }
        Files.copy(cached, target, StandardCopyOption.REPLACE_EXISTING);
        // The copy is the sandbox's own: writable, unlike the cache file it came from.
        Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rw-r--r--"));
    }

    /**
     * Ends a fetch's use of the cache: its references are dropped, and the entries it downloaded are
     * completed when it succeeded, or else failed and removed (a partial download included).
     */
    private void settle(List<FetcherCache.Use> uses, boolean fetched) {
        for (FetcherCache.Use use : uses) {
            if (use == null) {
                continue;
            }
            cache.unreference(use.entry);
            if (!use.created || !use.entry.pending()) {
                continue;
            }
            if (!fetched) {
                cache.fail(use.entry, "the fetch failed");
                continue;
            }
            try {
                cache.complete(use.entry);
            } catch (IOException e) {
                LOG.warn("Failed to adjust the cache size for cache file {} with error: {}", use.entry.path,
                        e.getMessage());
                cache.fail(use.entry, e.getMessage());
            }
        }
    }

    /**
     * How large the download will be, as Mesos's fetcher asks before it claims cache space: a local
     * file's size, or an http(s) URI's {@code Content-Length} (from a HEAD request, which must
     * succeed; Mesos does not look at its status, but a failed HEAD leaves nothing worth caching).
     */
    private long size(String value) throws IOException, InterruptedException {
        String scheme = scheme(value);
        if (scheme == null || scheme.equals("file")) {
            Path source = localPath(value, scheme);
            if (!Files.isRegularFile(source)) {
                throw new IOException("Could not determine file size for: '" + source + "'");
            }
            return Files.size(source);
        }
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new IOException("unsupported URI scheme '" + scheme + "'");
        }
        HttpRequest request = HttpRequest.newBuilder(URI.create(value)).timeout(Duration.ofMinutes(1))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build();
        HttpResponse<Void> response = http.send(request, HttpResponse.BodyHandlers.discarding());
        if (response.statusCode() != 200) {
            throw new IOException("the size query got HTTP return code " + response.statusCode());
        }
        long length = response.headers().firstValueAsLong("Content-Length").orElse(-1);
        if (length < 0) {
            throw new IOException("No URL content-length available");
        }
        if (length == 0) {
            throw new IOException("URI reported content-length 0: " + redact(value));
        }
        return length;
    }

    private void copyOrDownload(String value, Path target, Consumer<String> log, String shown)
            throws IOException, InterruptedException {
        String scheme = scheme(value);
        if (scheme == null || scheme.equals("file")) {
            Path source = localPath(value, scheme);
            if (!Files.isRegularFile(source)) {
                throw new IOException("'" + source + "' is not a file");
            }
            log.accept("Copying resource with command:cp '" + source + "' '" + target + "'");
            Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING);
        } else if (scheme.equals("http") || scheme.equals("https")) {
            download(value, target, log, shown);
        } else {
            throw new IOException("unsupported URI scheme '" + scheme + "' (mesos-local fetches http, https and"
                    + " local files)");
        }
    }

    private static Path localPath(String value, String scheme) throws IOException {
        if (scheme == null) {
            Path source = Path.of(value);
            if (!source.isAbsolute()) {
                throw new IOException("A relative path was passed for the resource but the Mesos framework home"
                        + " was not specified. Please either provide this config option or avoid using a relative"
                        + " path");
            }
            return source;
        }
        try {
            return Path.of(new URI(value));
        } catch (URISyntaxException | IllegalArgumentException e) {
            throw new IOException("malformed file URI: " + e.getMessage());
        }
    }

    private void download(String value, Path target, Consumer<String> log, String shown)
            throws IOException, InterruptedException {
        log.accept("Downloading resource from '" + shown + "' to '" + target + "'");
        HttpRequest request = HttpRequest.newBuilder(URI.create(value)).timeout(Duration.ofMinutes(10)).GET().build();
        Path partial = target.resolveSibling(target.getFileName() + ".partial");
        try {
            HttpResponse<Path> response = http.send(request, HttpResponse.BodyHandlers.ofFile(partial));
            if (response.statusCode() != 200) {
                throw new IOException("Error downloading resource, received HTTP return code "
                        + response.statusCode());
            }
            Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(partial);
        }
    }

    private static void makeExecutable(Path file) throws IOException {
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private static String outputName(CommandInfo.URI uri, String baseName) throws IOException {
        if (uri.hasOutputFile() && !uri.getOutputFile().isEmpty()) {
            if (uri.getOutputFile().startsWith("/")) {
                throw new IOException("output file '" + uri.getOutputFile() + "' must be relative to the sandbox");
            }
            return uri.getOutputFile();
        }
        return baseName;
    }

    /** The last segment of the URI's path: what the file is called in the sandbox without {@code output_file}. */
    private static String baseName(String value) throws IOException {
        String path = value;
        if (scheme(path) != null) {
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
