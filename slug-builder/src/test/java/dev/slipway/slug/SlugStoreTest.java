package dev.slipway.slug;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SlugStoreTest {
    @TempDir
    Path dataDir;

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    private Path aFile(String name, byte[] content) throws IOException {
        return Files.write(Files.createDirectories(dataDir.resolve("in")).resolve(name), content);
    }

    private Stream<Path> storeFiles() throws IOException {
        try (Stream<Path> files = Files.list(dataDir.resolve("slugs"))) {
            return files.toList().stream();
        }
    }

    @Test
    void storesASlugUnderItsSha256() throws Exception {
        byte[] content = Tarball.anApp().tgz();
        SlugStore store = new SlugStore(dataDir);

        Slug slug = store.put(aFile("a.tgz", content));

        assertThat(slug.digest()).isEqualTo(sha256(content));
        assertThat(slug.size()).isEqualTo(content.length);
        Path stored = dataDir.resolve("slugs").resolve(slug.digest() + ".tgz");
        assertThat(stored).hasBinaryContent(content);
        assertThat(store.path(slug.digest())).contains(stored);
        assertThat(store.exists(slug.digest())).isTrue();
    }

    @Test
    void storingTheSameContentTwiceKeepsOneFile() throws Exception {
        byte[] content = Tarball.anApp().tgz();
        SlugStore store = new SlugStore(dataDir);

        Slug first = store.put(aFile("a.tgz", content));
        Slug second = store.put(aFile("b.tgz", content));

        assertThat(second).isEqualTo(first);
        assertThat(storeFiles()).containsExactly(dataDir.resolve("slugs").resolve(first.fileName()));
    }

    @Test
    void aFailingWriterStoresNothingAndLeavesNoTemporaryFile() throws IOException {
        SlugStore store = new SlugStore(dataDir);

        assertThatThrownBy(() -> store.write(out -> {
            out.write(new byte[1000]);
            throw new IOException("disk on fire");
        })).isInstanceOf(UncheckedIOException.class).hasMessageContaining("disk on fire");

        assertThat(storeFiles()).isEmpty();
    }

    @Test
    void aMissingFileIsAnError() throws IOException {
        SlugStore store = new SlugStore(dataDir);

        assertThatThrownBy(() -> store.put(dataDir.resolve("nope.tgz"))).isInstanceOf(UncheckedIOException.class);
        assertThat(storeFiles()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "abc", "../../../etc/passwd",
            "E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855",
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b85",
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855.tgz",
            "g3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"})
    void anythingButALowercaseSha256IsNotFound(String digest) {
        SlugStore store = new SlugStore(dataDir);

        assertThat(store.path(digest)).isEmpty();
        assertThat(store.exists(digest)).isFalse();
    }

    @Test
    void anUnknownDigestIsNotFound() {
        SlugStore store = new SlugStore(dataDir);
        String digest = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

        assertThat(store.path(digest)).isEmpty();
        assertThat(store.exists(digest)).isFalse();
        assertThat(store.path(null)).isEmpty();
    }
}
