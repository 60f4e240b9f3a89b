package dev.slipway.cli;

import dev.slipway.framework.api.ApiAccess;
import dev.slipway.framework.deploy.Sizes;
import dev.slipway.framework.git.GitSettings;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * The framework's options that {@code slipway up} and {@code slipway framework} share: its API,
 * where builds run, and the instance sizes. One declaration, so that every framework process of
 * an installation can be given the same settings (the sizes above all: a follower that becomes
 * leader must size instances as its predecessor did).
 */
final class FrameworkOptions {
    @Option(names = "--api-host", defaultValue = "127.0.0.1", description = "address the REST API listens on "
            + "(default: ${DEFAULT-VALUE})")
    String apiHost;
    @Option(names = "--api-port", defaultValue = "7070", description = "port of the REST API (default: "
            + "${DEFAULT-VALUE})")
    int apiPort;
    @Option(names = "--advertise-url", description = "how Mesos agents, clients and the other framework processes "
            + "reach this API (default: http://<api-host>:<api-port>); needed when they run on other machines")
    URI advertiseUrl;
    @Option(names = "--api-allowed-origin", paramLabel = "ORIGIN", description = "an origin (scheme://host[:port]) "
            + "whose web pages may call the API, e.g. a dashboard; repeatable. Other pages are refused. Give every "
            + "framework process the same ones")
    List<String> apiAllowedOrigins = new ArrayList<>();
    @Option(names = "--api-host-name", paramLabel = "NAME", description = "another name clients reach the API under "
            + "(a load balancer's, this machine's), accepted in the Host header; repeatable")
    List<String> apiHostNames = new ArrayList<>();
    @Option(names = "--domain", defaultValue = "localhost", description = "apps answer at <app>.<domain> "
            + "(default: ${DEFAULT-VALUE})")
    String domain;
    @Option(names = "--buildpacks-dir", description = "the built-in buildpacks (default: $SLIPWAY_BUILDPACKS or the "
            + "buildpacks/ folder of this build)")
    Path buildpacksDir;
    @Option(names = "--builds", defaultValue = "auto", description = "where builds run: auto (in containers of the "
            + "stack image when a Docker engine answers, else on this machine), container, or host")
    String builds;
    @Option(names = "--stack-dir", description = "the stack image's folder (default: $SLIPWAY_STACK or the stack/ "
            + "folder of this build)")
    Path stackDir;
    @Option(names = "--size", paramLabel = "NAME=CPUS:MEMORY_MB", description = "a size process types may be "
            + "given with ps:resize, e.g. large=0.5:1024 (changes a built-in size) or gpu-box=4:8192 (adds one); "
            + "repeatable. Built in: small=0.1:256 (the default), medium=0.25:512, large=0.5:1024, xlarge=1:2048, "
            + "2xlarge=2:4096 (see docs/scheduling.md). Give every framework process the same ones")
    List<String> sizes = new ArrayList<>();
    @Option(names = "--default-size", paramLabel = "NAME", description = "the size of process types never resized "
            + "(default: small)")
    String defaultSize;
    @Option(names = "--executor-jar", description = "the executor jar (default: $SLIPWAY_EXECUTOR_JAR or next to "
            + "this build)")
    Path executorJar;
    @Option(names = "--git-deploy-branch", paramLabel = "BRANCH", description = "a branch whose git push builds "
            + "and releases the app; repeatable (default: main and master); pushes to others are only stored")
    List<String> gitDeployBranches = new ArrayList<>();
    @Option(names = {"--max-upload-mb", "--max-push-mb"}, defaultValue = "500", description = "the largest source "
            + "upload (deploy) or git push taken, in MB (default: ${DEFAULT-VALUE}); a larger one is refused with 413")
    long maxPushMb;
    @Option(names = "--keep-releases", paramLabel = "N", defaultValue = "50", description = "how many releases "
            + "each app keeps; older ones, and the slugs nothing else uses, are removed (default: ${DEFAULT-VALUE})")
    int keepReleases;

    /** How many releases each app keeps (--keep-releases); fewer than 1 is a CLI error. */
    int keepReleases() {
        if (keepReleases < 1) {
            throw new CliError("--keep-releases must be at least 1, not " + keepReleases);
        }
        return keepReleases;
    }

    /** Which browser origins and host names the API accepts; a bad one is a CLI error. */
    ApiAccess access() {
        try {
            return new ApiAccess(apiAllowedOrigins, apiHostNames);
        } catch (IllegalArgumentException e) {
            throw new CliError(e.getMessage());
        }
    }

    /** The built-in sizes with those of --size, and --default-size. */
    Sizes sizeTable() {
        try {
            Sizes table = Sizes.DEFAULT;
            for (String size : sizes) {
                table = table.with(Sizes.parse(size));
            }
            return defaultSize == null ? table : table.withDefault(defaultSize);
        } catch (IllegalArgumentException e) {
            throw new CliError((defaultSize != null && e.getMessage().startsWith("unknown size") ? "--default-size: "
                    : "--size: ") + e.getMessage());
        }
    }

    /** Which pushed branches deploy, and how large a push may be; a bad setting is a CLI error. */
    GitSettings git() {
        try {
            return new GitSettings(gitDeployBranches.isEmpty() ? GitSettings.DEFAULT.deployBranches()
                    : gitDeployBranches, Math.multiplyExact(Math.max(maxPushMb, 0), 1024L * 1024));
        } catch (IllegalArgumentException | ArithmeticException e) {
            throw new CliError(e instanceof ArithmeticException ? "--max-upload-mb is too large" : e.getMessage());
        }
    }

    LocalSlipway.BuildPlace buildPlace() {
        return LocalSlipway.BuildPlace.of(builds);
    }

    Path jar() {
        return executorJar != null ? executorJar : Locations.executorJar();
    }

    Path buildpacks() {
        return buildpacksDir != null ? buildpacksDir : Locations.buildpacks();
    }

    Path stack() {
        return stackDir != null ? stackDir : Locations.stack();
    }
}
