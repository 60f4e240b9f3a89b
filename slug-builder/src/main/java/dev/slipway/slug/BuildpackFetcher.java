package dev.slipway.slug;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Fetches third-party buildpacks for one build: a gzip tarball over HTTP(S), unpacked with the
 * same safety as an app's source (nothing outside the target, no escaping symlinks), or a git
 * repository cloned with the machine's {@code git} client (shallow, at the {@code #ref} branch or
 * tag when one is given). Fetched afresh for every build, as Heroku does, so that a branch
 * reference follows its branch. A tarball holding a single top-level folder (as GitHub's release
 * tarballs do) is used from inside that folder.
 */
final class BuildpackFetcher {
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(15);

    private final Path into;
    private final HttpClient http = HttpClient.newBuilder()
            .connectTimeout(CONNECT_TIMEOUT)
            .followRedirects(HttpClient.Redirect.NORMAL)
            .build();
    private int fetched;

    /** @param into an empty directory of this build's, removed by the caller afterwards */
    BuildpackFetcher(Path into) {
        this.into = into;
    }

    /**
     * @param host runs {@code git}, within the build's time limit
     * @throws BuildFailed naming the URL and the cause when it cannot be fetched or is no buildpack
     */
    Path fetch(BuildpackReference reference, BuildSandbox.Session host, Consumer<String> output) {
        Path target = into.resolve("buildpack-" + ++fetched);
        output.accept("-----> Fetching buildpack " + reference.location()
                + (reference.gitRef().isEmpty() ? "" : " (" + reference.gitRef() + ")"));
        Path root = switch (reference.kind()) {
            case TARBALL -> download(reference, target);
            case GIT -> clone(reference, target, host, output);
            default -> throw new IllegalArgumentException("not a URL buildpack: " + reference);
        };
        if (!Files.isRegularFile(root.resolve("bin/compile"))) {
            throw new BuildFailed("buildpack " + reference + " is not a buildpack: it has no bin/compile");
        }
        readableByAll(target);
        return root;
    }

    private Path download(BuildpackReference reference, Path target) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(reference.location())).GET()
                .timeout(Duration.ofMinutes(2)).build();
        try {
            HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream body = response.body()) {
                if (response.statusCode() != 200) {
                    throw new BuildFailed("buildpack " + reference + " cannot be downloaded: HTTP "
                            + response.statusCode());
                }
                new SourceArchive().unpack(body, target);
            }
        } catch (InvalidSource e) {
            throw new BuildFailed("buildpack " + reference + " is not a usable gzip tarball: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new BuildFailed("buildpack " + reference + " cannot be downloaded: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BuildFailed("build interrupted", e);
        }
        return singleFolder(target);
    }

    private static Path clone(BuildpackReference reference, Path target, BuildSandbox.Session host,
                              Consumer<String> output) {
        List<String> command = new ArrayList<>(List.of("git", "-c", "advice.detachedHead=false", "clone", "--quiet",
                "--depth", "1"));
        if (!reference.gitRef().isEmpty()) {
            command.addAll(List.of("--branch", reference.gitRef()));
        }
        command.addAll(List.of("--", reference.location(), target.toString()));
        List<String> errors = new ArrayList<>();
        int exit;
        try {
            exit = host.run(command, target.getParent(), line -> output.accept("       " + line), errors::add);
        } catch (IOException e) {
            throw new BuildFailed("cannot run git to fetch buildpack " + reference + ": " + e.getMessage(), e);
        }
        if (exit != 0) {
            throw new BuildFailed("buildpack " + reference + " cannot be cloned: git exited " + exit
                    + (errors.isEmpty() ? "" : ": " + String.join(" ", errors).strip()));
        }
        return target;
    }

    private static Path singleFolder(Path target) {
        if (Files.isDirectory(target.resolve("bin"))) {
            return target;
        }
        try (Stream<Path> children = Files.list(target)) {
            List<Path> all = children.toList();
            return all.size() == 1 && Files.isDirectory(all.get(0)) ? all.get(0) : target;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + target, e);
        }
    }

    /** A build container's user must read and run what root fetched. */
    private static void readableByAll(Path tree) {
        try (Stream<Path> paths = Files.walk(tree)) {
            for (Path path : paths.toList()) {
                if (Files.isDirectory(path, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                    Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rwxr-xr-x"));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make the buildpack " + tree + " readable", e);
        }
    }
}
