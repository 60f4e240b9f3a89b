package dev.slipway.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code slipway deploy [DIR] -a APP}: upload the source, print the build's output as it comes,
 * and once it is released, follow its deployment to its end (see {@link DeploymentProgress}).
 */
@Command(name = "deploy", description = "Build and release an app from a directory (default: the current one).")
final class DeployCommand extends AppCommand {
    @Parameters(paramLabel = "DIR", arity = "0..1", description = "the app's source directory")
    Path dir = Path.of(".");
    @Option(names = "--wait", defaultValue = "600", description = "seconds to follow the deployment (0: don't); it "
            + "fails or is rolled back on its own at the app's deploy timeout (default 300 s)")
    int waitSeconds;

    @Override
    public Integer call() throws Exception {
        if (!Files.isDirectory(dir)) {
            throw new CliError(dir + " is not a directory: give the app's source directory, e.g. `slipway deploy . -a "
                    + app + "`");
        }
        ApiClient client = api.client();
        JsonNode appBody = client.get("/apps/" + app);
        Path tarball = SourceTarball.create(dir.toAbsolutePath().normalize());
        JsonNode build;
        long size = Files.size(tarball);
        String uploading = "-----> Uploading " + dir + " (" + Sizes.human(size) + ")... ";
        UploadProgress progress = UploadProgress.onTerminal(dir.toString(), size);
        try {
            build = client.upload("/apps/" + app + "/builds", tarball, progress);
            progress.done();
            System.out.println(uploading + "done");
        } catch (CliError e) {
            progress.done();
            System.out.println(uploading + "failed");
            throw e;
        } finally {
            Files.deleteIfExists(tarball);
        }
        System.out.println("-----> Building " + app + " (build " + BuildStream.shortId(build.path("id").asText()) + ")");
        JsonNode finished = BuildStream.follow(client, app, build);
        if (!finished.path("status").asText().equals("succeeded")) {
            System.err.println(" !     Build failed: " + finished.path("error").asText("the build failed"));
            return 1;
        }
        JsonNode release = finished.path("release");
        if (!release.path("version").canConvertToInt() || release.path("version").asInt() < 1) {
            // Never wait for a "v0": say what is wrong instead.
            throw new CliError("the build succeeded but its release is not there any more: see `slipway releases -a "
                    + app + "`");
        }
        int version = release.path("version").asInt();
        System.out.println("-----> Released v" + version);
        if (waitSeconds > 0) {
            DeploymentProgress.follow(client, app, version, waitSeconds);
        }
        System.out.println("       " + appBody.path("web_url").asText() + " deployed");
        return 0;
    }
}
