package dev.slipway.slug;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SlugIgnoreTest {
    @Test
    void aPlainNameMatchesAtAnyDepth() {
        SlugIgnore ignore = SlugIgnore.parse("tmp\n");

        assertThat(ignore.excludes("tmp", true)).isTrue();
        assertThat(ignore.excludes("a/b/tmp", false)).isTrue();
        assertThat(ignore.excludes("tmpfile", false)).isFalse();
        assertThat(ignore.excludes("tmp.d", true)).isFalse();
    }

    @Test
    void starAndQuestionMarkDoNotCrossSlashes() {
        SlugIgnore ignore = SlugIgnore.parse("*.log\nfile?.txt\n");

        assertThat(ignore.excludes("debug.log", false)).isTrue();
        assertThat(ignore.excludes("logs/2024/app.log", false)).isTrue();
        assertThat(ignore.excludes("app.log.gz", false)).isFalse();
        assertThat(ignore.excludes("file1.txt", false)).isTrue();
        assertThat(ignore.excludes("file12.txt", false)).isFalse();
    }

    @Test
    void aLeadingOrInnerSlashAnchorsToTheRoot() {
        SlugIgnore ignore = SlugIgnore.parse("/spec\ndoc/*.md\n");

        assertThat(ignore.excludes("spec", true)).isTrue();
        assertThat(ignore.excludes("lib/spec", true)).isFalse();
        assertThat(ignore.excludes("doc/guide.md", false)).isTrue();
        assertThat(ignore.excludes("doc/sub/guide.md", false)).isFalse();
        assertThat(ignore.excludes("src/doc/guide.md", false)).isFalse();
    }

    @Test
    void aTrailingSlashMatchesDirectoriesOnly() {
        SlugIgnore ignore = SlugIgnore.parse("cache/\n/build/\n");

        assertThat(ignore.excludes("cache", true)).isTrue();
        assertThat(ignore.excludes("app/cache", true)).isTrue();
        assertThat(ignore.excludes("cache", false)).isFalse();
        assertThat(ignore.excludes("build", true)).isTrue();
        assertThat(ignore.excludes("x/build", true)).isFalse();
    }

    @Test
    void regexCharactersAreLiteral() {
        SlugIgnore ignore = SlugIgnore.parse("a+b (1).[ch]\n");

        assertThat(ignore.excludes("a+b (1).[ch]", false)).isTrue();
        assertThat(ignore.excludes("aab (1).c", false)).isFalse();
    }

    @Test
    void skipsCommentsBlanksAndNegationsWithWarnings() {
        SlugIgnore ignore = SlugIgnore.parse("# comment\n\n  *.tmp  \n!keep.tmp\n/\n");

        assertThat(ignore.size()).isEqualTo(1);
        assertThat(ignore.excludes("x.tmp", false)).isTrue();
        assertThat(ignore.excludes("keep.tmp", false)).isTrue();
        assertThat(ignore.warnings()).containsExactly(
                ".slugignore line 4: negated patterns are not supported, skipped: !keep.tmp",
                ".slugignore line 5: the pattern matches the whole app, skipped: /");
    }

    @Test
    void noneExcludesNothing() {
        assertThat(SlugIgnore.none().excludes("anything", true)).isFalse();
    }
}
