package dev.slipway.framework.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.slipway.framework.git.GitSettings;
import dev.slipway.zk.Json;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code git push} with the real git client through the real endpoint on loopback, as
 * {@code git push heroku main}: a push to main builds (with the test's buildpacks, through the
 * same build queue as uploads) and releases, the build's output streams back as {@code remote:}
 * lines while it runs; a failed build rejects the push and moves nothing; other branches are only
 * stored; force pushes build the new tip; the deploy branch cannot be deleted; a push past the
 * size limit is refused; unknown apps and hostile names are refused; what was pushed clones back.
 */
class GitPushApiTest {
    @RegisterExtension
    static final ApiScenario api = new ApiScenario();

    private String url(String app) {
        return api.base.resolve("git/" + app + ".git").toString();
    }

    private GitClient aRepository(String name) throws IOException {
        return GitClient.init(api.dir.resolve("work").resolve(name)).signedIn(api.adminToken);
    }

    private GitClient anAppWithSource(String app) throws Exception {
        api.givenApp(app);
        api.givenBuildpacks(app, api.aBuildpack("Plain", "echo '       compiled'\n"));
        GitClient git = aRepository(app);
        git.commit("serve", "#!/bin/sh\necho serving\n", true);
        return git;
    }

    private JsonNode releases(String app) throws Exception {
        return api.json("/apps/" + app + "/releases");
    }

    /** An app whose builds wait for {@code signal}, a repository with a commit, and its push, its build waiting. */
    private GitClient.Run aPushWaitingForItsBuild(String app, Path signal) throws Exception {
        api.givenApp(app);
        api.givenBuildpacks(app, api.aBuildpackThatWaitsFor(signal, "       waiting for the signal"));
        GitClient git = aRepository(app);
        git.commit("serve", "#!/bin/sh\necho serving\n", true);
        GitClient.Run push = git.start("push", url(app), "main");
        Awaitility.await().atMost(60, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(50))
                .until(() -> push.output().contains("remote:        waiting for the signal") || !push.running());
        return push;
    }

    @Test
    void pushToMainBuildsStreamsTheOutputWhileItRunsThenNamesTheReleaseAndTheUrl() throws Exception {
        Path signal = api.dir.resolve("pushed-signal");
        GitClient.Run push = aPushWaitingForItsBuild("pushed", signal);
        GitClient git = GitClient.open(api.dir.resolve("work").resolve("pushed"));
        String commit = git.head();

        assertThat(push.running()).as("the push runs while its build waits: %s", push.output()).isTrue();
        assertThat(push.output()).contains("remote: -----> Pushed main (" + commit.substring(0, 7)
                + "): building pushed", "remote: -----> Building ");
        Files.createFile(signal);
        GitClient.Result result = push.await();

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.output()).contains("remote:        signal seen", "remote: -----> Launching... process types: web",
                "remote:        Released v1", "remote:        http://pushed.localhost:8080/ deployed to Slipway",
                "* [new branch]      main -> main");
        assertThat(releases("pushed")).hasSize(1);
        assertThat(releases("pushed").get(0).path("version").asInt()).isEqualTo(1);
        JsonNode builds = api.json("/apps/pushed/builds");
        assertThat(builds).hasSize(1);
        assertThat(builds.get(0).path("status").asText()).isEqualTo("succeeded");
        assertThat(git.remoteBranch(url("pushed"), "main")).isEqualTo(commit);
    }

    @Test
    void theBuildGetsTheCommitsFilesWithTheirModesAndSymlinks() throws Exception {
        api.givenApp("modes");
        api.givenBuildpacks("modes", api.aBuildpack("Inspector",
                "echo \"       serve executable: $(test -x \"$1/serve\" && echo yes || echo no)\"\n"
                + "echo \"       notes executable: $(test -x \"$1/docs/notes.txt\" && echo yes || echo no)\"\n"
                + "echo \"       link: $(readlink \"$1/link\")\"\n"
                + "echo \"       notes: $(cat \"$1/docs/notes.txt\")\"\n"));
        GitClient git = aRepository("modes");
        git.commit("docs/notes.txt", "plain text", false);
        Files.createSymbolicLink(git.dir().resolve("link"), Path.of("docs/notes.txt"));
        git.commit("serve", "#!/bin/sh\necho serving\n", true);

        GitClient.Result result = git.run("push", url("modes"), "main");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.output()).contains("remote:        serve executable: yes",
                "remote:        notes executable: no", "remote:        link: docs/notes.txt",
                "remote:        notes: plain text");
    }

    @Test
    void aFailedBuildRejectsThePushAndLeavesTheBranchAndTheReleaseAsTheyWere() throws Exception {
        GitClient git = anAppWithSource("failing");
        String first = git.head();
        git.ok("push", url("failing"), "main");
        api.givenBuildpacks("failing", api.aBuildpackThatFails());
        git.commit("README", "broken now", false);

        GitClient.Result result = git.run("push", url("failing"), "main");

        assertThat(result.exitCode()).as(result.toString()).isNotZero();
        assertThat(result.output()).contains("remote:        about to fail",
                "remote:  !     Push rejected: the build failed; failing keeps its current release",
                "! [remote rejected] main -> main (build failed");
        assertThat(git.remoteBranch(url("failing"), "main")).isEqualTo(first);
        assertThat(releases("failing")).hasSize(1);

        // The branch did not move: the same push, once the build is fixed, builds again.
        api.givenBuildpacks("failing", api.aBuildpack("Fixed", "echo '       fixed'\n"));
        GitClient.Result retried = git.run("push", url("failing"), "main");
        assertThat(retried.exitCode()).as(retried.toString()).isZero();
        assertThat(retried.output()).contains("remote:        Released v2");
        assertThat(git.remoteBranch(url("failing"), "main")).isEqualTo(git.head());
    }

    @Test
    void aPushWhileTheAppBuildsIsRejectedAndTheRunningBuildGoesOn() throws Exception {
        Path signal = api.dir.resolve("busy-signal");
        GitClient.Run running = aPushWaitingForItsBuild("busy", signal);
        GitClient git = GitClient.open(api.dir.resolve("work").resolve("busy"));
        String first = git.head();
        git.commit("README", "second", false);

        GitClient.Result second = git.run("push", url("busy"), "main");
        Files.createFile(signal);
        GitClient.Result firstPush = running.await();

        assertThat(second.exitCode()).as(second.toString()).isNotZero();
        assertThat(second.output()).contains("! [remote rejected] main -> main (a build of app 'busy' is already "
                + "running: wait for it to finish)");
        assertThat(firstPush.exitCode()).as(firstPush.toString()).isZero();
        assertThat(git.remoteBranch(url("busy"), "main")).isEqualTo(first);
    }

    @Test
    void aPushToAnotherBranchIsStoredWithoutABuildAndSaysSo() throws Exception {
        GitClient git = anAppWithSource("branches");
        git.ok("checkout", "-q", "-b", "feature");

        GitClient.Result result = git.run("push", url("branches"), "feature");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.output()).contains("remote: -----> Branch feature stored, not deployed: Slipway deploys "
                + "main or master (git push slipway feature:main deploys it)",
                "remote:  !     Nothing is deployed until you push main or master: git push slipway HEAD:main");
        assertThat(git.remoteBranch(url("branches"), "feature")).isEqualTo(git.head());
        assertThat(api.json("/apps/branches/builds")).isEmpty();
        assertThat(releases("branches")).isEmpty();
    }

    @Test
    void masterDeploysAsMainDoes() throws Exception {
        GitClient git = anAppWithSource("on-master");

        GitClient.Result result = git.run("push", url("on-master"), "main:master");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.output()).contains("remote:        Released v1");
    }

    @Test
    void aCommitWithoutFilesIsRefusedAndAPushOfNothingNewSaysSo() throws Exception {
        api.givenApp("empty");
        GitClient git = aRepository("empty");
        git.ok("commit", "-q", "--allow-empty", "-m", "nothing yet");

        GitClient.Result empty = git.run("push", url("empty"), "main");

        assertThat(empty.exitCode()).as(empty.toString()).isNotZero();
        assertThat(empty.output()).contains("! [remote rejected] main -> main (commit "
                + git.head().substring(0, 7) + " has no files: there is nothing to build)");
        assertThat(git.remoteBranch(url("empty"), "main")).isEmpty();

        api.givenBuildpacks("empty", api.aBuildpack("Plain", "echo '       compiled'\n"));
        git.commit("serve", "#!/bin/sh\necho serving\n", true);
        git.ok("push", url("empty"), "main");
        GitClient.Result again = git.run("push", url("empty"), "main");
        assertThat(again.exitCode()).as(again.toString()).isZero();
        assertThat(again.output()).contains("Everything up-to-date");
        assertThat(releases("empty")).hasSize(1);
    }

    @Test
    void aForcePushBuildsTheNewTip() throws Exception {
        GitClient git = anAppWithSource("forced");
        git.ok("push", url("forced"), "main");
        Files.writeString(git.dir().resolve("serve"), "#!/bin/sh\necho rewritten\n");
        git.ok("commit", "-q", "-a", "--amend", "-m", "rewritten");

        GitClient.Result refused = git.run("push", url("forced"), "main");
        assertThat(refused.exitCode()).as("git itself refuses a non-fast-forward without --force").isNotZero();
        GitClient.Result forced = git.run("push", "--force", url("forced"), "main");

        assertThat(forced.exitCode()).as(forced.toString()).isZero();
        assertThat(forced.output()).contains("remote: -----> Force push: main is replaced by "
                + git.head().substring(0, 7), "remote:        Released v2", "+ ", "(forced update)");
        assertThat(git.remoteBranch(url("forced"), "main")).isEqualTo(git.head());
    }

    @Test
    void deletingTheDeployBranchIsRefusedAndOtherBranchesCanBeDeleted() throws Exception {
        GitClient git = anAppWithSource("kept");
        git.ok("push", url("kept"), "main");
        git.ok("push", url("kept"), "main:feature");

        GitClient.Result deleteMain = git.run("push", url("kept"), ":main");
        GitClient.Result deleteFeature = git.run("push", url("kept"), ":feature");

        assertThat(deleteMain.exitCode()).as(deleteMain.toString()).isNotZero();
        assertThat(deleteMain.output()).contains("! [remote rejected] main (the deploy branch main cannot be "
                + "deleted: the app is built from it)");
        assertThat(git.remoteBranch(url("kept"), "main")).isEqualTo(git.head());
        assertThat(deleteFeature.exitCode()).as(deleteFeature.toString()).isZero();
        assertThat(git.remoteBranch(url("kept"), "feature")).isEmpty();
    }

    @Test
    void aPushOrUploadLargerThanTheLimitIsRefusedWith413WithoutFillingTheDisk() throws Exception {
        api.stopApi();
        ApiServer.Parts parts = api.parts;
        api.parts = parts.withGit(new GitSettings(List.of("main"), 256 * 1024));
        try {
            api.start();
            GitClient git = anAppWithSource("huge");
            // Over the limit, and under twice it: the server reads what git sends to its end and
            // answers 413 (past twice the limit it cuts the connection, and git may only see the cut).
            byte[] noise = new byte[400 * 1024];
            new Random(7).nextBytes(noise);
            Files.write(git.dir().resolve("noise.bin"), noise);
            git.ok("add", "-A");
            git.ok("commit", "-q", "-m", "noise");

            GitClient.Result result = git.run("push", url("huge"), "main");

            assertThat(result.exitCode()).as(result.toString()).isNotZero();
            assertThat(result.output()).contains("413");
            assertThat(git.remoteBranch(url("huge"), "main")).isEmpty();
            assertThat(api.json("/apps/huge/builds")).isEmpty();
            assertThat(bytesUnder(api.parts.gitRepositories().resolve("huge.git"))).isLessThan(256 * 1024);

            // The same limit holds for a source upload (`slipway deploy`).
            ApiScenario.Raw upload = api.raw("POST", "/apps/huge/builds", Map.of("Host", "127.0.0.1",
                    "Content-Type", "application/gzip"), "x".repeat(300 * 1024));
            assertThat(upload.status()).as(upload.body()).isEqualTo(413);
            assertThat(upload.body()).contains("--max-upload-mb");
            assertThat(api.json("/apps/huge/builds")).isEmpty();
        } finally {
            api.stopApi();
            api.parts = parts;
            api.start();
        }
    }

    private static long bytesUnder(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(file -> file.toFile().length()).sum();
        }
    }

    @Test
    void anUnknownAppIsNotFound() throws Exception {
        GitClient git = aRepository("unknown");
        git.commit("serve", "#!/bin/sh\n", true);

        GitClient.Result push = git.run("push", url("no-such-app"), "main");
        HttpResponse<String> refs = api.get("/git/no-such-app.git/info/refs?service=git-receive-pack");

        assertThat(push.exitCode()).isNotZero();
        assertThat(push.output()).contains("not found");
        assertThat(refs.statusCode()).isEqualTo(404);
        assertThat(refs.headers().firstValue("Content-Type")).hasValue(Problem.MEDIA_TYPE);
        assertThat(Json.mapper().readTree(refs.body()).path("detail").asText()).isEqualTo("app 'no-such-app' does "
                + "not exist");
    }

    @Test
    void hostileRepositoryNamesAreRefused() throws Exception {
        for (String path : List.of("/git/..%2F..%2Fetc.git/info/refs?service=git-upload-pack",
                "/git/%2e%2e.git/info/refs?service=git-upload-pack",
                "/git/Upper.git/info/refs?service=git-upload-pack",
                "/git/a.b.git/info/refs?service=git-upload-pack",
                "/git/pushed/info/refs?service=git-upload-pack",
                "/git/pushedxgit/info/refs?service=git-upload-pack",
                "/git/pushed.git.git/info/refs?service=git-upload-pack",
                "/git/" + "a".repeat(31) + ".git/info/refs?service=git-receive-pack")) {
            HttpResponse<String> answer = api.get(path);
            assertThat(answer.statusCode()).as(path).isEqualTo(404);
            assertThat(answer.headers().firstValue("Content-Type")).as(path).hasValue(Problem.MEDIA_TYPE);
        }
        ApiScenario.Raw traversal = api.raw("GET", "/git/../../etc/passwd.git/info/refs?service=git-upload-pack",
                java.util.Map.of("Host", api.host()), "");
        assertThat(traversal.status()).isEqualTo(404);
        ApiScenario.Raw posted = api.raw("POST", "/git/..%2Fx.git/git-receive-pack",
                java.util.Map.of("Host", api.host(), "Content-Type", "application/x-git-receive-pack-request"), "0000");
        assertThat(posted.status()).isEqualTo(404);
    }

    @Test
    void onlyTheSmartProtocolIsServed() throws Exception {
        api.givenApp("dumb");

        HttpResponse<String> dumb = api.get("/git/dumb.git/info/refs");

        assertThat(dumb.statusCode()).isEqualTo(400);
        assertThat(Json.mapper().readTree(dumb.body()).path("detail").asText()).contains("service=git-upload-pack");
    }

    @Test
    void whatWasPushedClonesBackAndAnAppNeverPushedHasNothingToClone() throws Exception {
        GitClient git = anAppWithSource("cloned");
        git.ok("push", url("cloned"), "main");
        Path copy = api.dir.resolve("work").resolve("cloned-copy");

        GitClient.Result cloned = git.run("clone", "-q", url("cloned"), copy.toString());

        assertThat(cloned.exitCode()).as(cloned.toString()).isZero();
        assertThat(copy.resolve("serve")).hasContent("#!/bin/sh\necho serving");
        assertThat(Files.isExecutable(copy.resolve("serve"))).isTrue();
        api.givenApp("never-pushed");
        GitClient.Result nothing = git.run("clone", "-q", url("never-pushed"), api.dir.resolve("nothing").toString());
        assertThat(nothing.exitCode()).isNotZero();
        assertThat(nothing.output()).contains("not found");
    }
}
