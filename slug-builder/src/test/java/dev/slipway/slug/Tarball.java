package dev.slipway.slug;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;

/** Test-data builder of tar archives, including the malicious ones real tar will not make. */
final class Tarball {
    private record Entry(String name, byte type, int mode, byte[] content, String linkName) {
    }

    private final List<Entry> entries = new ArrayList<>();

    static Tarball aTarball() {
        return new Tarball();
    }

    /** A minimal buildable app: a Procfile and an executable start script. */
    static Tarball anApp() {
        return aTarball()
                .dir("./")
                .file("./Procfile", "web: ./start.sh\n")
                .executable("./start.sh", "#!/bin/sh\nexec python3 -m http.server $PORT\n");
    }

    Tarball file(String name, String content) {
        return file(name, content.getBytes(StandardCharsets.UTF_8), 0644);
    }

    Tarball executable(String name, String content) {
        return file(name, content.getBytes(StandardCharsets.UTF_8), 0755);
    }

    Tarball file(String name, byte[] content, int mode) {
        entries.add(new Entry(name, TarConstants.LF_NORMAL, mode, content, null));
        return this;
    }

    Tarball dir(String name) {
        entries.add(new Entry(name.endsWith("/") ? name : name + "/", TarConstants.LF_DIR, 0755, new byte[0], null));
        return this;
    }

    Tarball symlink(String name, String target) {
        entries.add(new Entry(name, TarConstants.LF_SYMLINK, 0777, new byte[0], target));
        return this;
    }

    Tarball hardLink(String name, String target) {
        entries.add(new Entry(name, TarConstants.LF_LINK, 0644, new byte[0], target));
        return this;
    }

    Tarball special(String name, byte type) {
        entries.add(new Entry(name, type, 0644, new byte[0], null));
        return this;
    }

    byte[] tar() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes, StandardCharsets.UTF_8.name())) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            for (Entry e : entries) {
                TarArchiveEntry entry = new TarArchiveEntry(e.name(), e.type(), true);
                entry.setMode(e.mode());
                entry.setSize(e.content().length);
                if (e.linkName() != null) {
                    entry.setLinkName(e.linkName());
                }
                tar.putArchiveEntry(entry);
                tar.write(e.content());
                tar.closeArchiveEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    byte[] tgz() {
        return gzip(tar());
    }

    static byte[] gzip(byte[] data) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GzipCompressorOutputStream gzip = new GzipCompressorOutputStream(bytes)) {
            gzip.write(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }
}
