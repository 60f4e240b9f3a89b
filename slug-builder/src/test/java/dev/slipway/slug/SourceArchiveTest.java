package dev.slipway.slug;

import static dev.slipway.slug.Tarball.aTarball;
import static dev.slipway.slug.Tarball.anApp;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SourceArchiveTest {
    @TempDir
    Path tmp;

    private final SourceArchive archive = new SourceArchive();

    /** Unpacked two levels inside the test's own folder, so that even a double escape stays in it. */
    private Path target() {
        try {
            return Files.createDirectories(tmp.resolve("uploads").resolve("work")).resolve("source");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private void unpack(byte[] upload) {
        archive.unpack(new ByteArrayInputStream(upload), target());
    }

    /** Refused with a message containing {@code message}, and nothing left behind. */
    private void assertRefused(byte[] upload, String message) {
        assertRefused(archive, upload, message);
    }

    private void assertRefused(SourceArchive archive, byte[] upload, String message) {
        assertThatThrownBy(() -> archive.unpack(new ByteArrayInputStream(upload), target()))
                .isInstanceOf(InvalidSource.class)
                .hasMessageContaining(message);
        assertThat(target()).doesNotExist();
        assertThat(tmp.resolve("uploads").resolve("x")).doesNotExist();
        assertThat(tmp.resolve("x")).doesNotExist();
        try (Stream<Path> left = Files.list(target().getParent())) {
            assertThat(left).isEmpty();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void unpacksWhatRealTarMakesKeepingExecutableBitsAndSymlinks() throws IOException {
        Path app = AppDir.procfileApp(tmp.resolve("app"))
                .symlink("bin/current", "start")
                .dir("empty")
                .file("deep/" + "d".repeat(120) + "/" + "f".repeat(120) + ".txt", "long")
                .file("café/ünï.txt", "utf8")
                .root();

        archive.unpack(new ByteArrayInputStream(RealTar.create(app)), target());

        assertThat(target().resolve("Procfile")).hasContent("web: ./bin/start\nworker: ./bin/work");
        assertThat(target().resolve("lib/app.txt")).hasContent("hello");
        assertThat(Files.getPosixFilePermissions(target().resolve("bin/start")))
                .isEqualTo(PosixFilePermissions.fromString("rwxr-xr-x"));
        assertThat(Files.getPosixFilePermissions(target().resolve("lib/app.txt")))
                .isEqualTo(PosixFilePermissions.fromString("rw-r--r--"));
        assertThat(Files.readSymbolicLink(target().resolve("bin/current"))).isEqualTo(Path.of("start"));
        assertThat(target().resolve("empty")).isEmptyDirectory();
        assertThat(target().resolve("deep/" + "d".repeat(120) + "/" + "f".repeat(120) + ".txt")).hasContent("long");
        assertThat(target().resolve("café/ünï.txt")).hasContent("utf8");
    }

    @Test
    void keepsAnyExecutableBitAndDropsSpecialBits() throws IOException {
        unpack(aTarball()
                .file("group-exec", "x".getBytes(StandardCharsets.UTF_8), 0610)
                .file("setuid", "x".getBytes(StandardCharsets.UTF_8), 04755)
                .file("unreadable", "x".getBytes(StandardCharsets.UTF_8), 0000)
                .tgz());

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(target().resolve("group-exec"))))
                .isEqualTo("rwxr-xr-x");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(target().resolve("setuid"))))
                .isEqualTo("rwxr-xr-x");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(target().resolve("unreadable"))))
                .isEqualTo("rw-r--r--");
    }

    @Test
    void acceptsEntriesWithAndWithoutLeadingDotSlashAndInnerDotDotThatStaysInside() {
        unpack(aTarball()
                .dir("./")
                .file("./a/b.txt", "b")
                .file("c.txt", "c")
                .file("a/../d.txt", "d")
                .tgz());

        assertThat(target().resolve("a/b.txt")).hasContent("b");
        assertThat(target().resolve("c.txt")).hasContent("c");
        assertThat(target().resolve("d.txt")).hasContent("d");
    }

    @Test
    void aLaterEntryReplacesAnEarlierFileOrSymlink() throws IOException {
        unpack(aTarball()
                .file("f", "first")
                .file("f", "second")
                .symlink("l", "f")
                .file("l", "now a file")
                .tgz());

        assertThat(target().resolve("f")).hasContent("second");
        assertThat(Files.isSymbolicLink(target().resolve("l"))).isFalse();
        assertThat(target().resolve("l")).hasContent("now a file");
    }

    @Test
    void acceptsSymlinksThatStayInsideIncludingDanglingOnes() throws IOException {
        unpack(aTarball()
                .file("lib/real.txt", "real")
                .symlink("lib/up", "../lib/real.txt")
                .symlink("dir-link", "lib")
                .symlink("dangling", "not-yet-there")
                .tgz());

        assertThat(target().resolve("lib/up")).hasContent("real");
        assertThat(target().resolve("dir-link/real.txt")).hasContent("real");
        assertThat(Files.readSymbolicLink(target().resolve("dangling"))).isEqualTo(Path.of("not-yet-there"));
    }

    @Test
    void refusesInputThatIsNotGzip() {
        assertRefused(anApp().tar(), "upload is not a gzip-compressed tar archive");
        assertRefused("PK\3\4 a zip file".getBytes(StandardCharsets.UTF_8), "upload is not a gzip-compressed tar archive");
        assertRefused(new byte[0], "upload is not a gzip-compressed tar archive");
    }

    @Test
    void refusesATruncatedUpload() {
        byte[] tgz = anApp().file("big.txt", "x".repeat(200_000)).tgz();

        assertRefused(Arrays.copyOf(tgz, tgz.length / 2), "upload is not a valid gzip-compressed tar archive");
    }

    @Test
    void refusesAGzipWithABadChecksum() {
        byte[] tgz = anApp().tgz();
        tgz[tgz.length - 8] ^= 0x5a;

        assertRefused(tgz, "upload is not a valid gzip-compressed tar archive");
    }

    @Test
    void refusesGzipOfSomethingOtherThanATar() {
        byte[] text = "this is not a tar archive\n".repeat(100).getBytes(StandardCharsets.UTF_8);

        assertRefused(Tarball.gzip(text), "upload is not a valid gzip-compressed tar archive");
    }

    @Test
    void refusesACorruptTarHeader() {
        byte[] tar = anApp().tar();
        tar[600] ^= 0x7f; // inside the second header: its checksum no longer matches

        assertRefused(Tarball.gzip(tar), "upload is not a valid gzip-compressed tar archive");
    }

    @ParameterizedTest
    @ValueSource(strings = {"../x", "a/../../x", "./../x", "a/b/../../../x", ".."})
    void refusesEntriesThatClimbOut(String name) {
        assertRefused(anApp().file(name, "evil").tgz(), "upload entry '" + name + "' climbs out of the source directory");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/etc/x", "/x", "//x"})
    void refusesAbsoluteEntries(String name) {
        assertRefused(anApp().file(name, "evil").tgz(), "upload entry '" + name + "' has an absolute path");
    }

    @Test
    void refusesADirectoryEntryThatClimbsOut() {
        assertRefused(anApp().dir("../outside").tgz(), "climbs out of the source directory");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/etc/passwd", "../x", "a/../../x", "../../../../../../etc"})
    void refusesSymlinksThatPointOutside(String target) {
        assertRefused(anApp().symlink("link", target).tgz(),
                "upload entry 'link' is a symlink to '" + target + "', which is outside the source directory");
    }

    @Test
    void refusesASymlinkInASubdirectoryWhoseDotDotsLeaveTheRoot() {
        assertRefused(anApp().dir("a").symlink("a/link", "../../x").tgz(),
                "upload entry 'a/link' is a symlink to '../../x'");
    }

    @Test
    void refusesASymlinkThatEscapesThroughAnotherSymlink() {
        // lexically "a/.." is the root, but a -> . makes it the root's parent
        assertRefused(anApp().symlink("a", ".").symlink("b", "a/../etc").tgz(),
                "upload entry 'b' is a symlink to 'a/../etc', which is outside the source directory");
    }

    @Test
    void refusesASymlinkThatEscapesThroughALaterSymlink() {
        assertRefused(anApp().dir("d").symlink("b", "d/x/../..").symlink("d/x", "..").tgz(),
                "is outside the source directory");
    }

    @Test
    void refusesASymlinkLoop() {
        assertRefused(anApp().symlink("a", "b").symlink("b", "a").tgz(), "(or loops)");
    }

    @Test
    void refusesEntriesWrittenThroughASymlink() {
        assertRefused(anApp().dir("inside").symlink("link", "inside").file("link/x", "evil").tgz(),
                "upload entry 'link/x' is inside the symlink 'link'");
    }

    @Test
    void refusesHardLinks() {
        assertRefused(anApp().hardLink("hard", "Procfile").tgz(),
                "upload entry 'hard' is a hard link: hard links are not supported");
    }

    @Test
    void refusesDevicesAndFifos() {
        assertRefused(anApp().special("tty", TarConstants.LF_CHR).tgz(), "upload entry 'tty' is a device file");
        assertRefused(anApp().special("sda", TarConstants.LF_BLK).tgz(), "upload entry 'sda' is a device file");
        assertRefused(anApp().special("pipe", TarConstants.LF_FIFO).tgz(), "upload entry 'pipe' is a FIFO");
    }

    @Test
    void refusesAFileWhereAnEarlierEntryMadeADirectory() {
        assertRefused(anApp().dir("d").file("d", "file").tgz(), "upload entry 'd' replaces a directory");
        assertRefused(anApp().file("f", "file").file("f/x", "x").tgz(), "needs 'f' to be a directory");
    }

    @Test
    void refusesMoreEntriesThanTheLimit() {
        Tarball many = aTarball();
        for (int i = 0; i < 11; i++) {
            many.file("f" + i, "x");
        }
        SourceArchive limited = new SourceArchive(10, SourceArchive.DEFAULT_MAX_BYTES);

        assertRefused(limited, many.tgz(), "upload has more than 10 entries");
    }

    @Test
    void acceptsExactlyTheEntryLimit() {
        Tarball many = aTarball();
        for (int i = 0; i < 10; i++) {
            many.file("f" + i, "x");
        }

        new SourceArchive(10, SourceArchive.DEFAULT_MAX_BYTES).unpack(new ByteArrayInputStream(many.tgz()), target());

        assertThat(target().resolve("f9")).exists();
    }

    @Test
    void refusesAZipBombAtTheSizeLimit() {
        byte[] zeros = new byte[4 * 1024 * 1024];
        byte[] bomb = aTarball().file("a", zeros, 0644).file("b", zeros, 0644).tgz();
        assertThat(bomb.length).isLessThan(64 * 1024);
        SourceArchive limited = new SourceArchive(SourceArchive.DEFAULT_MAX_ENTRIES, 1024 * 1024);

        assertRefused(limited, bomb, "upload is larger than 1 MB uncompressed");
    }

    @Test
    void countsManySmallFilesAgainstTheSizeLimit() {
        Tarball many = aTarball();
        for (int i = 0; i < 40; i++) {
            many.file("f" + i, "y".repeat(1000));
        }
        SourceArchive limited = new SourceArchive(SourceArchive.DEFAULT_MAX_ENTRIES, 32 * 1024);

        assertRefused(limited, many.tgz(), "upload is larger than 32 KB uncompressed");
    }

    @Test
    void refusesAnExistingTarget() throws IOException {
        Files.createDirectory(target());

        assertThatThrownBy(() -> unpack(anApp().tgz())).isInstanceOf(IllegalArgumentException.class);
        assertThat(target()).isEmptyDirectory();
    }

    @Test
    void leavesTheCallersStreamOpen() {
        var upload = new ByteArrayInputStream(anApp().tgz()) {
            boolean closed;

            @Override
            public void close() {
                closed = true;
            }
        };

        archive.unpack(upload, target());

        assertThat(upload.closed).isFalse();
        assertThat(Files.exists(target().resolve("Procfile"), LinkOption.NOFOLLOW_LINKS)).isTrue();
    }
}
