package dev.slipway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The app of a directory's {@code slipway} git remote, read from the repository's config as git writes it. */
class SlipwayRemoteTest {
    @TempDir
    Path dir;

    @Test
    void theAppIsTheLastPartOfTheRemotesUrl() {
        assertThat(app("[remote \"slipway\"]\n\turl = http://127.0.0.1:7070/git/hello.git\n")).isEqualTo("hello");
        assertThat(app("[remote \"slipway\"]\n  url = https://slipway.example.com/api/git/my-app-2.git/\n"))
                .isEqualTo("my-app-2");
        assertThat(app("[remote \"slipway\"]\n\turl = \"http://h/git/quoted.git\"\n")).isEqualTo("quoted");
    }

    @Test
    void onlyTheSlipwayRemoteCounts() {
        assertThat(app("""
                [core]
                \trepositoryformatversion = 0
                [remote "origin"]
                \turl = http://example.com/git/origin-app.git
                [remote "slipway"]
                \tfetch = +refs/heads/*:refs/remotes/slipway/*
                \turl = http://127.0.0.1:7070/git/second.git
                [branch "main"]
                \tremote = origin
                """)).isEqualTo("second");
        assertThat(app("[remote \"origin\"]\n\turl = http://example.com/git/origin-app.git\n")).isNull();
        assertThat(app("[remote \"slipway\"]\n\turl = git@example.com:someone/repo\n")).isNull();
    }

    @Test
    void theRepositoryIsFoundFromASubdirectoryAndFromAWorktree() throws Exception {
        Path repository = dir.resolve("repo");
        Files.createDirectories(repository.resolve(".git/worktrees/feature"));
        Files.writeString(repository.resolve(".git/config"), "[remote \"slipway\"]\n\turl = http://h/git/nested.git\n");
        Path sub = Files.createDirectories(repository.resolve("src/main"));
        Path worktree = Files.createDirectories(dir.resolve("feature"));
        Files.writeString(worktree.resolve(".git"), "gitdir: " + repository.resolve(".git/worktrees/feature") + "\n");
        Files.writeString(repository.resolve(".git/worktrees/feature/commondir"), "../..\n");

        assertThat(SlipwayRemote.app(sub)).isEqualTo("nested");
        assertThat(SlipwayRemote.app(worktree)).isEqualTo("nested");
        assertThat(SlipwayRemote.app(Files.createDirectories(dir.resolve("elsewhere")))).isNull();
    }

    private static String app(String config) {
        return SlipwayRemote.appOf(SlipwayRemote.url(List.of(config.split("\n"))));
    }
}
