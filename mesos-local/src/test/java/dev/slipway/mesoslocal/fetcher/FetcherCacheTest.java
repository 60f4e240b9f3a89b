package dev.slipway.mesoslocal.fetcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.mesos.v1.Protos.CommandInfo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The fetcher cache, as Mesos's fetcher keeps it: URIs with {@code cache} are downloaded once per agent. */
class FetcherCacheTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path dir;
    private Path files;
    private Path cacheDir;
    private FileServer server;
    private int sandboxes;

    @BeforeEach
    void serveFiles() throws Exception {
        files = Files.createDirectories(dir.resolve("files"));
        cacheDir = dir.resolve("agent/fetch");
        Path app = Files.createDirectories(dir.resolve("slug/app"));
        Files.writeString(app.resolve("hello.txt"), "hello from the slug\n");
        Process tar = new ProcessBuilder("tar", "-C", dir.resolve("slug").toString(), "-czf",
                files.resolve("slug.tgz").toString(), "./app").inheritIO().start();
        assertThat(tar.waitFor(30, TimeUnit.SECONDS) && tar.exitValue() == 0).isTrue();
        for (String name : List.of("a.bin", "b.bin", "c.bin")) {
            Files.write(files.resolve(name), new byte[100]);
        }
        Files.writeString(files.resolve("tool.sh"), "#!/bin/sh\necho tool\n");
        server = FileServer.serving(files);
    }

    @AfterEach
    void stopServing() throws Exception {
        server.close();
    }

    @Test
    void aCachedUriIsDownloadedOnceAndEverySandboxGetsItsOwnCopyOrExtraction() throws Exception {
        Fetcher fetcher = fetcher(1 << 20);

        List<Path> sandboxes = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            sandboxes.add(fetch(fetcher, null, cached("slug.tgz"), cached("a.bin").setExtract(false),
                    cached("tool.sh").setExecutable(true)));
        }

        assertThat(server.gets("slug.tgz")).isEqualTo(1);
        assertThat(server.gets("a.bin")).isEqualTo(1);
        assertThat(server.gets("tool.sh")).isEqualTo(1);
        for (Path sandbox : sandboxes) {
            assertThat(sandbox.resolve("app/hello.txt")).hasContent("hello from the slug");
            assertThat(sandbox.resolve("slug.tgz")).as("only the extraction lands in the sandbox").doesNotExist();
            assertThat(sandbox.resolve("a.bin")).hasSize(100);
            assertThat(Files.getPosixFilePermissions(sandbox.resolve("tool.sh")))
                    .contains(PosixFilePermission.OWNER_EXECUTE);
        }
        assertThat(cacheFiles()).containsExactly("c1-slug.tgz", "c2-a.bin", "c3-tool.sh");
        assertThat(Files.getPosixFilePermissions(cacheDir.resolve("c3-tool.sh")))
                .as("executable applies to the sandbox's copy only").doesNotContain(PosixFilePermission.OWNER_EXECUTE);
        assertThat(fetcher.cacheUsedBytes()).isEqualTo(Files.size(files.resolve("slug.tgz")) + 100
                + Files.size(files.resolve("tool.sh")));
    }

    @Test
    void urisWithoutCacheAreDownloadedEveryTime() throws Exception {
        Fetcher fetcher = fetcher(1 << 20);

        Path first = fetch(fetcher, null, direct("slug.tgz"));
        fetch(fetcher, null, direct("slug.tgz"));

        assertThat(server.gets("slug.tgz")).isEqualTo(2);
        assertThat(server.heads("slug.tgz")).isZero();
        assertThat(first.resolve("app/hello.txt")).exists();
        assertThat(first.resolve("slug.tgz")).as("a direct fetch keeps the archive too").exists();
        assertThat(cacheFiles()).isEmpty();
    }

    @Test
    void concurrentFetchesOfOneUriDownloadItOnceAndTheOthersWaitForIt() throws Exception {
        Fetcher fetcher = fetcher(1 << 20);
        server.holdGets();
        List<Path> fetched = new CopyOnWriteArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            Path sandbox = newSandbox();
            threads.add(started(() -> {
                fetchQuietly(fetcher, sandbox, cached("slug.tgz"));
                fetched.add(sandbox);
            }));
        }

        // One waits for the held download, the other three for its cache entry.
        await().atMost(WAIT).until(() -> server.gets("slug.tgz") == 1
                && threads.stream().allMatch(t -> t.getState() == Thread.State.WAITING));
        server.releaseGets();
        for (Thread thread : threads) {
            thread.join(WAIT.toMillis());
        }

        assertThat(fetched).hasSize(4).allSatisfy(sandbox -> assertThat(sandbox.resolve("app/hello.txt")).exists());
        assertThat(server.gets("slug.tgz")).isEqualTo(1);
        assertThat(server.heads("slug.tgz")).isEqualTo(1);
    }

    @Test
    void aFailedDownloadIsNotCachedAndTheNextFetchDownloadsAgain() throws Exception {
        Fetcher fetcher = fetcher(1 << 20);
        server.failNextGets(1);

        assertThatThrownBy(() -> fetch(fetcher, null, cached("slug.tgz")))
                .isInstanceOf(FetchException.class).hasMessageContaining("500");
        assertThat(cacheFiles()).isEmpty();
        assertThat(fetcher.cacheUsedBytes()).isZero();

        Path sandbox = fetch(fetcher, null, cached("slug.tgz"));
        assertThat(sandbox.resolve("app/hello.txt")).exists();
        assertThat(server.gets("slug.tgz")).isEqualTo(2);
        assertThat(cacheFiles()).containsExactly("c2-slug.tgz");
    }

    @Test
    void aFetchWaitingForADownloadThatFailsFetchesDirectly() throws Exception {
        Fetcher fetcher = fetcher(1 << 20);
        server.failNextGets(1);
        server.holdGets();
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        Path downloaderSandbox = newSandbox();
        Thread downloader = started(() -> {
            try {
                fetcher.fetch(List.of(cached("slug.tgz").build()), downloaderSandbox, null, line -> { });
            } catch (FetchException | InterruptedException e) {
                failures.add(e);
            }
        });
        await().atMost(WAIT).until(() -> server.gets("slug.tgz") == 1);
        Path waiterSandbox = newSandbox();
        Thread waiter = started(() -> fetchQuietly(fetcher, waiterSandbox, cached("slug.tgz")));
        await().atMost(WAIT).until(() -> waiter.getState() == Thread.State.WAITING);

        server.releaseGets();
        downloader.join(WAIT.toMillis());
        waiter.join(WAIT.toMillis());

        assertThat(failures).singleElement().asString().contains("500");
        assertThat(waiterSandbox.resolve("app/hello.txt")).exists();
        assertThat(waiterSandbox.resolve("slug.tgz")).as("fetched directly, archive and all").exists();
        assertThat(server.gets("slug.tgz")).isEqualTo(2);
        assertThat(cacheFiles()).isEmpty();
    }

    @Test
    void theLeastRecentlyUsedEntryIsEvictedToMakeRoom() throws Exception {
        Fetcher fetcher = fetcher(250);
        fetch(fetcher, null, cached("a.bin"));
        fetch(fetcher, null, cached("b.bin"));
        fetch(fetcher, null, cached("a.bin"));

        fetch(fetcher, null, cached("c.bin"));

        assertThat(cacheFiles()).containsExactly("c1-a.bin", "c3-c.bin");
        assertThat(fetcher.cacheUsedBytes()).isEqualTo(200);
        fetch(fetcher, null, cached("a.bin"));
        fetch(fetcher, null, cached("b.bin"));
        assertThat(server.gets("a.bin")).isEqualTo(1);
        assertThat(server.gets("b.bin")).isEqualTo(2);
    }

    @Test
    void anEntryInUseIsNeverEvictedAndWhatDoesNotFitIsFetchedDirectly() throws Exception {
        Fetcher fetcher = fetcher(150);

        Path sandbox = fetch(fetcher, null, cached("a.bin"), cached("b.bin"));

        assertThat(sandbox.resolve("a.bin")).hasSize(100);
        assertThat(sandbox.resolve("b.bin")).hasSize(100);
        assertThat(cacheFiles()).containsExactly("c1-a.bin");
        fetch(fetcher, null, cached("b.bin"));
        assertThat(cacheFiles()).as("a.bin, no longer in use, made room").containsExactly("c3-b.bin");
    }

    @Test
    void aZeroSizeCacheFetchesEverythingDirectly() throws Exception {
        assertFetchedTwiceDirectlyAndNotCached(fetcher(0));
    }

    @Test
    void aUriOfUnknownSizeIsFetchedDirectly() throws Exception {
        server.withoutContentLength();

        assertFetchedTwiceDirectlyAndNotCached(fetcher(1 << 20));
    }

    /** Two fetches of a cacheable URI that both go to the server, with nothing left in the cache. */
    private void assertFetchedTwiceDirectlyAndNotCached(Fetcher fetcher) throws Exception {
        fetch(fetcher, null, cached("a.bin"));
        Path sandbox = fetch(fetcher, null, cached("a.bin"));

        assertThat(sandbox.resolve("a.bin")).hasSize(100);
        assertThat(server.gets("a.bin")).isEqualTo(2);
        assertThat(cacheFiles()).isEmpty();
    }

    @Test
    void eachUserHasItsOwnCacheFiles() throws Exception {
        Fetcher fetcher = fetcher(1 << 20);

        fetch(fetcher, null, cached("a.bin"));
        fetch(fetcher, "alice", cached("a.bin"));
        fetch(fetcher, "alice", cached("a.bin"));

        assertThat(server.gets("a.bin")).isEqualTo(2);
        assertThat(cacheFiles()).containsExactly("alice/c2-a.bin", "c1-a.bin");
    }

    @Test
    void aUriTwiceInOneFetchIsDownloadedOnce() throws Exception {
        Fetcher fetcher = fetcher(1 << 20);

        Path sandbox = fetch(fetcher, null, cached("a.bin"), cached("a.bin").setOutputFile("copy/a.bin"));

        assertThat(sandbox.resolve("a.bin")).hasSize(100);
        assertThat(sandbox.resolve("copy/a.bin")).hasSize(100);
        assertThat(server.gets("a.bin")).isEqualTo(1);
        assertThat(cacheFiles()).containsExactly("c1-a.bin");
    }

    @Test
    void aLocalFileIsCachedToo() throws Exception {
        Fetcher fetcher = fetcher(1 << 20);
        CommandInfo.URI.Builder local = CommandInfo.URI.newBuilder().setValue(files.resolve("a.bin").toString())
                .setCache(true);

        Path sandbox = fetch(fetcher, null, local);

        assertThat(sandbox.resolve("a.bin")).hasSize(100);
        assertThat(cacheFiles()).containsExactly("c1-a.bin");
    }

    @Test
    void aNewFetcherClearsWhatAnEarlierRunCached() throws Exception {
        Fetcher fetcher = fetcher(1 << 20);
        fetch(fetcher, null, cached("a.bin"));

        Fetcher restarted = fetcher(1 << 20);
        fetch(restarted, null, cached("a.bin"));

        assertThat(cacheFiles()).containsExactly("c1-a.bin");
        assertThat(server.gets("a.bin")).isEqualTo(2);
    }

    private Fetcher fetcher(long size) throws IOException {
        return new Fetcher(cacheDir, size);
    }

    private CommandInfo.URI.Builder cached(String file) {
        return CommandInfo.URI.newBuilder().setValue(server.url(file)).setCache(true);
    }

    private CommandInfo.URI.Builder direct(String file) {
        return CommandInfo.URI.newBuilder().setValue(server.url(file));
    }

    private Path fetch(Fetcher fetcher, String user, CommandInfo.URI.Builder... uris) throws Exception {
        Path sandbox = newSandbox();
        fetcher.fetch(Stream.of(uris).map(CommandInfo.URI.Builder::build).toList(), sandbox, user, line -> { });
        return sandbox;
    }

    private static void fetchQuietly(Fetcher fetcher, Path sandbox, CommandInfo.URI.Builder uri) {
        try {
            fetcher.fetch(List.of(uri.build()), sandbox, null, line -> { });
        } catch (FetchException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Thread started(Runnable fetch) {
        Thread thread = new Thread(fetch, "fetch");
        thread.start();
        return thread;
    }

    private synchronized Path newSandbox() throws IOException {
        return Files.createDirectories(dir.resolve("sandbox-" + ++sandboxes));
    }

    /** The cache's files, relative to its directory, sorted. */
    private List<String> cacheFiles() throws IOException {
        if (!Files.exists(cacheDir)) {
            return List.of();
        }
        try (Stream<Path> paths = Files.walk(cacheDir)) {
            return paths.filter(Files::isRegularFile).map(p -> cacheDir.relativize(p).toString()).sorted().toList();
        }
    }
}
