package dev.slipway.mesoslocal.fetcher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bookkeeping of Mesos's fetcher cache ({@code FetcherProcess::Cache}): which URIs (per user)
 * have a cache file, in which state, how much of the cache's space they claim, and which were used
 * least recently. An entry is created (and so referenced) by the fetch that will download it;
 * concurrent fetches of the same URI reference it and wait for its completion. An entry that is
 * referenced is never evicted. A failed entry is removed, so the next fetch tries again.
 *
 * <p>Every method is safe from any thread; the cache's state is guarded by its own lock.
 */
final class FetcherCache {
    private static final Logger LOG = LoggerFactory.getLogger(FetcherCache.class);
    /** Cache files are {@code c<serial>-<part of the URI's base name>}, as in Mesos. */
    private static final String FILE_PREFIX = "c";

    private final Path directory;
    private final long space;
    /** By key, least recently used first. */
    private final Map<String, Entry> table = new LinkedHashMap<>();
    private long tally;
    private long serial;

    /** One URI's cache file, before, while and after it exists. */
    static final class Entry {
        final String key;
        final Path path;
        /** What completes when the download into the cache succeeded, or fails when it did not. */
        final CompletableFuture<Void> completion = new CompletableFuture<>();
        /** The space claimed for the file; 0 until claimed. */
        private long size;
        private int references;

        private Entry(String key, Path path) {
            this.key = key;
            this.path = path;
        }

        boolean pending() {
            return !completion.isDone();
        }
    }

    /** A cache in {@code directory} of at most {@code space} bytes; nothing is read or written yet. */
    FetcherCache(Path directory, long space) {
        if (space < 0) {
            throw new IllegalArgumentException("the fetcher cache size must not be negative, was " + space);
        }
        this.directory = directory;
        this.space = space;
    }

    /**
     * The directory a user's cache files go to: the cache's own for no user, else a subdirectory
     * named for the user (Mesos segregates cache files per user).
     */
    Path directory(String user) throws IOException {
        if (user == null) {
            return directory;
        }
        if (user.isEmpty() || user.contains("/") || user.equals(".") || user.equals("..") || user.indexOf('\0') >= 0) {
            throw new IOException("'" + user + "' is not a valid user name");
        }
        return directory.resolve(user);
    }

    /** The entry for the user's URI, refreshed as most recently used; null when it is not cached. */
    private Entry get(String user, String uri) {
        String key = key(user, uri);
        Entry entry = table.remove(key);
        if (entry != null) {
            table.put(key, entry);
        }
        return entry;
    }

    /** A new, pending entry for the user's URI, whose cache file will be named after {@code baseName}. */
    private Entry create(String user, String uri, String baseName) throws IOException {
        String name = baseName.length() > 20
                ? baseName.substring(0, 10) + "_" + baseName.substring(baseName.length() - 10)
                : baseName;
        Entry entry = new Entry(key(user, uri), directory(user).resolve(FILE_PREFIX + ++serial + "-" + name));
        table.put(entry.key, entry);
        LOG.debug("Created fetcher cache entry {}", entry.path);
        return entry;
    }

    synchronized void unreference(Entry entry) {
        if (entry.references <= 0) {
            throw new IllegalStateException("fetcher cache entry " + entry.path + " is not referenced");
        }
        entry.references--;
    }

    /**
     * Claims {@code bytes} for the entry's file, evicting unreferenced entries, least recently used
     * first, when the cache has not that much space left.
     *
     * @throws IOException when not enough can be evicted; the entry then has claimed nothing
     */
    synchronized void reserve(Entry entry, long bytes) throws IOException {
        long available = Math.max(0, space - tally);
        if (available < bytes) {
            long missing = bytes - available;
            List<Entry> victims = new ArrayList<>();
            long freed = 0;
            for (Iterator<Entry> it = table.values().iterator(); it.hasNext() && freed < missing; ) {
                Entry candidate = it.next();
                if (candidate.references == 0) {
                    victims.add(candidate);
                    freed += candidate.size;
                }
            }
            if (freed < missing) {
                throw new IOException("Could not free up enough fetcher cache space (" + bytes + " bytes needed, "
                        + available + " of " + space + " free)");
            }
            for (Entry victim : victims) {
                LOG.debug("Evicting fetcher cache entry {} ({} bytes)", victim.path, victim.size);
                remove(victim);
            }
        }
        tally += bytes;
        entry.size = bytes;
    }

    /**
     * Completes a downloaded entry, making its claim its file's actual size.
     *
     * @throws IOException when the file is larger than claimed, or gone: the entry must then be failed
     */
    synchronized void complete(Entry entry) throws IOException {
        long actual = Files.size(entry.path);
        if (actual > entry.size) {
            throw new IOException("the download into " + entry.path.getFileName() + " is larger than expected by "
                    + (actual - entry.size) + " bytes");
        }
        tally -= entry.size - actual;
        entry.size = actual;
        entry.completion.complete(null);
    }

    /** Fails a pending entry (its waiters fetch directly) and removes it, with whatever file it has. */
    synchronized void fail(Entry entry, String reason) {
        entry.completion.completeExceptionally(new IOException("Could not download to fetcher cache: " + reason));
        remove(entry);
    }

    /**
     * Removes the entry and its file, and releases its claim. Removal makes the URI look as if it
     * had never been cached; waiters of a failed entry still hold it.
     */
    private void remove(Entry entry) {
        if (table.get(entry.key) == entry) {
            table.remove(entry.key);
        }
        try {
            Files.deleteIfExists(entry.path);
        } catch (IOException e) {
            LOG.warn("Could not delete fetcher cache file {}, leaking {} bytes of cache space: {}", entry.path,
                    entry.size, e.toString());
        }
        tally -= entry.size;
        entry.size = 0;
    }

    /** How a fetch uses one cached URI: its entry, and whether that fetch created it (and so downloads it). */
    static final class Use {
        final Entry entry;
        final boolean created;

        private Use(Entry entry, boolean created) {
            this.entry = entry;
            this.created = created;
        }
    }

    /**
     * Looks up, or else creates, the entry of each URI a fetch takes through the cache, and references
     * it once per occurrence; a URI twice in one fetch is one use. It happens at once for all of the
     * fetch's URIs, so a fetch only ever waits for downloads of fetches that came before it.
     *
     * @param uris the URIs to cache; null where the fetch bypasses the cache
     * @param baseNames the URIs' base names, for new cache files
     * @return per URI its use, null where {@code uris} has null
     */
    synchronized List<Use> use(String user, List<String> uris, List<String> baseNames) throws IOException {
        directory(user); // refuses a user name that is no directory name before anything is created
        Map<String, Use> created = new LinkedHashMap<>();
        List<Use> uses = new ArrayList<>();
        for (int i = 0; i < uris.size(); i++) {
            String uri = uris.get(i);
            if (uri == null) {
                uses.add(null);
                continue;
            }
            Use use = created.get(uri);
            if (use == null) {
                Entry existing = get(user, uri);
                use = existing != null ? new Use(existing, false) : new Use(create(user, uri, baseNames.get(i)), true);
                if (use.created) {
                    created.put(uri, use);
                }
            }
            use.entry.references++;
            uses.add(use);
        }
        return uses;
    }

    /** Bytes claimed by cache files. */
    synchronized long usedSpace() {
        return tally;
    }

    /** Deletes whatever an earlier run left in the cache directory, as a Mesos agent does at start. */
    void clear() throws IOException {
        if (!Files.exists(directory, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (var paths = Files.walk(directory)) {
            for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }

    private static String key(String user, String uri) {
        return user == null ? uri : user + "@" + uri;
    }
}
