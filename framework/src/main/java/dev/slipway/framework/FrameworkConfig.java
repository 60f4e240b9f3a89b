package dev.slipway.framework;

import dev.slipway.framework.api.ApiAccess;
import dev.slipway.framework.deploy.Sizes;
import dev.slipway.framework.git.GitSettings;
import dev.slipway.framework.mesos.MesosSettings;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Everything the framework is configured with, validated once at start-up.
 *
 * @param apiHost      where the REST API listens
 * @param advertiseUrl how agents and the CLI reach the API (slugs and the executor jar are fetched from it)
 * @param dataDir      slugs and build scratch space
 * @param executorJar  the executor's runnable jar, served to agents
 * @param buildpacksDir the built-in buildpacks (one folder each, buildpack API v2)
 * @param domain       apps answer at {@code <app>.<domain>}
 * @param routerPort   the router's public port, for the URLs the API shows
 * @param stackImage   builds run in containers of this image on the local Docker engine; null to
 *                     build on this machine with its runtimes
 * @param apiAccess    the origins (browser pages) and host names the API accepts besides its own
 * @param git          which pushed branches deploy, and how large a push may be
 * @param keepReleases how many releases each app keeps (docs/releases.md#history; default 50)
 */
public record FrameworkConfig(MesosSettings mesos, String apiHost, int apiPort, URI advertiseUrl, Path dataDir,
                              Path executorJar, Path buildpacksDir, String domain, int routerPort,
                              Resources resources, String stackImage, ApiAccess apiAccess, GitSettings git,
                              int keepReleases) {
    public static final int DEFAULT_KEEP_RELEASES = 50;

    public FrameworkConfig {
        if (keepReleases < 1) {
            throw new IllegalArgumentException("--keep-releases must be at least 1, not " + keepReleases);
        }
        git = git == null ? GitSettings.DEFAULT : git;
        Objects.requireNonNull(mesos, "mesos");
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(executorJar, "executorJar");
        apiHost = apiHost == null ? "127.0.0.1" : apiHost;
        domain = domain == null || domain.isBlank() ? "localhost" : domain;
        resources = resources == null ? Resources.DEFAULT : resources;
        apiAccess = apiAccess == null ? ApiAccess.NONE : apiAccess;
        if (apiPort < 0 || apiPort > 65535) {
            throw new IllegalArgumentException("--api-port must be between 0 and 65535, not " + apiPort);
        }
        Objects.requireNonNull(buildpacksDir, "buildpacksDir");
        if (!Files.isDirectory(buildpacksDir)) {
            throw new IllegalArgumentException("the buildpacks folder " + buildpacksDir + " does not exist: pass "
                    + "--buildpacks-dir (the repository's buildpacks/ folder)");
        }
        if (!Files.isRegularFile(executorJar)) {
            throw new IllegalArgumentException("the executor jar " + executorJar + " does not exist: build it with "
                    + "`mvn -pl executor package` or pass --executor-jar");
        }
    }

    /** Keeping the default number of releases per app. */
    public FrameworkConfig(MesosSettings mesos, String apiHost, int apiPort, URI advertiseUrl, Path dataDir,
                           Path executorJar, Path buildpacksDir, String domain, int routerPort, Resources resources,
                           String stackImage, ApiAccess apiAccess, GitSettings git) {
        this(mesos, apiHost, apiPort, advertiseUrl, dataDir, executorJar, buildpacksDir, domain, routerPort, resources,
                stackImage, apiAccess, git, DEFAULT_KEEP_RELEASES);
    }

    /** This configuration keeping {@code releases} releases per app. */
    public FrameworkConfig withKeepReleases(int releases) {
        return new FrameworkConfig(mesos, apiHost, apiPort, advertiseUrl, dataDir, executorJar, buildpacksDir, domain,
                routerPort, resources, stackImage, apiAccess, git, releases);
    }

    /** Only the API's own origin and names. */
    public FrameworkConfig(MesosSettings mesos, String apiHost, int apiPort, URI advertiseUrl, Path dataDir,
                           Path executorJar, Path buildpacksDir, String domain, int routerPort, Resources resources,
                           String stackImage) {
        this(mesos, apiHost, apiPort, advertiseUrl, dataDir, executorJar, buildpacksDir, domain, routerPort, resources,
                stackImage, null, null);
    }

    /** This configuration with {@code access} for the API. */
    public FrameworkConfig withApiAccess(ApiAccess access) {
        return new FrameworkConfig(mesos, apiHost, apiPort, advertiseUrl, dataDir, executorJar, buildpacksDir, domain,
                routerPort, resources, stackImage, access, git, keepReleases);
    }

    /** Builds on this machine, with its runtimes. */
    public FrameworkConfig(MesosSettings mesos, String apiHost, int apiPort, URI advertiseUrl, Path dataDir,
                           Path executorJar, Path buildpacksDir, String domain, int routerPort, Resources resources) {
        this(mesos, apiHost, apiPort, advertiseUrl, dataDir, executorJar, buildpacksDir, domain, routerPort, resources,
                null);
    }

    /** This configuration with {@code newResources}. */
    public FrameworkConfig withResources(Resources newResources) {
        return new FrameworkConfig(mesos, apiHost, apiPort, advertiseUrl, dataDir, executorJar, buildpacksDir, domain,
                routerPort, newResources, stackImage, apiAccess, git, keepReleases);
    }

    /** This configuration with {@code settings} for {@code git push}. */
    public FrameworkConfig withGit(GitSettings settings) {
        return new FrameworkConfig(mesos, apiHost, apiPort, advertiseUrl, dataDir, executorJar, buildpacksDir, domain,
                routerPort, resources, stackImage, apiAccess, settings, keepReleases);
    }

    /**
     * What each instance and its executor ask Mesos for.
     *
     * @param sizes the sizes process types may have, and the one they have until resized
     * @param executorCpus the executor's own share, on top of its instance's size
     * @param executorMemMb the executor's own memory (its JVM: {@code -Xmx48m} and what a JVM needs beside the heap)
     * @param drainTimeoutSeconds the longest an instance taken out of the routes waits for every router to
     *                            acknowledge it before it is killed all the same (docs/lifecycle.md#draining)
     */
    public record Resources(Sizes sizes, double executorCpus, double executorMemMb, int killGraceSeconds,
                            int bootTimeoutSeconds, int drainTimeoutSeconds) {
        public static final int DEFAULT_DRAIN_TIMEOUT_SECONDS = 10;
        public static final Resources DEFAULT = new Resources(Sizes.DEFAULT, 0.05, 96, 10, 60);

        public Resources {
            Objects.requireNonNull(sizes, "sizes");
            if (drainTimeoutSeconds < 0) {
                throw new IllegalArgumentException("the drain timeout must not be negative, not " + drainTimeoutSeconds);
            }
        }

        /** Resources with the default drain timeout. */
        public Resources(Sizes sizes, double executorCpus, double executorMemMb, int killGraceSeconds,
                         int bootTimeoutSeconds) {
            this(sizes, executorCpus, executorMemMb, killGraceSeconds, bootTimeoutSeconds, DEFAULT_DRAIN_TIMEOUT_SECONDS);
        }

        /** These resources with {@code newSizes}. */
        public Resources withSizes(Sizes newSizes) {
            return new Resources(newSizes, executorCpus, executorMemMb, killGraceSeconds, bootTimeoutSeconds,
                    drainTimeoutSeconds);
        }
    }
}
