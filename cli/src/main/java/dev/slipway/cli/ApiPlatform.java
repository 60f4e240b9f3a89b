package dev.slipway.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.slipway.cli.apply.AppSpec;
import dev.slipway.cli.apply.AppState;
import dev.slipway.cli.apply.Platform;
import dev.slipway.cli.apply.Step;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/** {@code slipway apply}'s {@link Platform}: the REST API, as the other verbs use it. */
final class ApiPlatform implements Platform {
    /** The build output lines shown when a build fails (all of them with {@code --verbose}). */
    private static final int FAILED_BUILD_LINES = 15;

    private final ApiClient client;
    private final int waitSeconds;
    private final boolean verbose;

    ApiPlatform(ApiClient client, int waitSeconds, boolean verbose) {
        this.client = client;
        this.waitSeconds = waitSeconds;
        this.verbose = verbose;
    }

    @Override
    public AppState read(AppSpec spec) {
        String app = spec.name();
        JsonNode found = client.find("/apps/" + app);
        if (found == null) {
            if (spec.release() != null) {
                throw new CliError("release " + spec.release() + ": " + app + " does not exist yet, so it has no "
                        + "releases; give it a source to deploy first");
            }
            return AppState.NONE;
        }
        int release = found.path("release").asInt(0);
        String slug = release == 0 ? null
                : client.get("/apps/" + app + "/releases/" + release).path("slug").path("id").asText(null);
        String deployedSource = spec.source() != null && slug != null ? deployedSource(app, slug) : null;
        String wantedSlug = spec.release() == null ? null : wantedSlug(app, spec.release());
        Map<String, String> config = new LinkedHashMap<>();
        if (spec.config() != null) {
            client.get("/apps/" + app + "/config-vars").fields()
                    .forEachRemaining(var -> config.put(var.getKey(), var.getValue().asText()));
        }
        Map<String, AppState.Formation> formation = new LinkedHashMap<>();
        if (release > 0 && (spec.formation() != null || spec.sizes() != null || spec.constraints() != null)) {
            for (JsonNode row : client.get("/apps/" + app + "/formation")) {
                List<String> constraints = new ArrayList<>();
                row.path("constraints").forEach(c -> constraints.add(c.asText()));
                formation.put(row.path("type").asText(), new AppState.Formation(row.path("quantity").asInt(),
                        row.path("size").isTextual() ? row.path("size").asText() : null, constraints));
            }
        }
        List<String> domains = spec.domains() == null ? List.of() : domains(app);
        return new AppState(true, release, slug, deployedSource, wantedSlug, config, formation, domains);
    }

    /** The source checksum of the newest build that succeeded, if its slug is the one running. */
    private String deployedSource(String app, String slug) {
        for (JsonNode build : client.get("/apps/" + app + "/builds")) {
            if (build.path("status").asText().equals("succeeded")) {
                boolean running = slug.equals(build.path("release").path("slug").path("id").asText());
                return running && build.path("source_checksum").isTextual() ? build.path("source_checksum").asText()
                        : null;
            }
        }
        return null;
    }

    private String wantedSlug(String app, String release) {
        if (!release.matches("v?[0-9]{1,9}")) {
            return release;
        }
        JsonNode found = client.find("/apps/" + app + "/releases/" + release.replace("v", ""));
        if (found == null) {
            throw new CliError("release: " + app + " has no release " + release + " (`slipway releases -a " + app
                    + "` lists those kept)");
        }
        return found.path("slug").path("id").asText();
    }

    /** The app's custom domains (its default hostnames are the platform's, not the file's). */
    private List<String> domains(String app) {
        List<String> hosts = new ArrayList<>();
        for (JsonNode domain : client.get("/apps/" + app + "/domains")) {
            if (domain.path("kind").asText().equals("custom")) {
                hosts.add(domain.path("hostname").asText());
            }
        }
        return hosts;
    }

    @Override
    public void carry(AppSpec spec, Step step, Consumer<String> say) throws InterruptedException {
        String app = spec.name();
        if (step instanceof Step.Create create) {
            Map<String, String> body = new HashMap<>();
            body.put("name", app);
            if (create.team() != null) {
                body.put("team", create.team());
            }
            client.post("/apps", body);
        } else if (step instanceof Step.SetConfig config) {
            int before = client.get("/apps/" + app).path("release").asInt(0);
            client.patch("/apps/" + app + "/config-vars", config.changes());
            int after = client.get("/apps/" + app).path("release").asInt(0);
            if (after != before && after > 0) {
                follow(app, after, say);
            }
        } else if (step instanceof Step.Deploy deploy) {
            deploy(app, deploy, say);
        } else if (step instanceof Step.Release release) {
            JsonNode made = client.post("/apps/" + app + "/releases", Map.of("slug", release.slug()));
            follow(app, made.path("version").asInt(), say);
        } else if (step instanceof Step.Scale scale) {
            formation(app, scale.type(), Map.of("quantity", scale.quantity()));
        } else if (step instanceof Step.Resize resize) {
            formation(app, resize.type(), Map.of("size", resize.size()));
        } else if (step instanceof Step.Constrain constrain) {
            formation(app, constrain.type(), Map.of("constraints", constrain.constraints()));
        } else if (step instanceof Step.AddDomain add) {
            client.post("/apps/" + app + "/domains", Map.of("hostname", add.hostname()));
        } else if (step instanceof Step.RemoveDomain remove) {
            client.delete("/apps/" + app + "/domains/" + ApiClient.segment(remove.hostname()));
        } else {
            throw new IllegalArgumentException("unknown step " + step);
        }
    }

    private void deploy(String app, Step.Deploy deploy, Consumer<String> say) throws InterruptedException {
        Path tarball;
        try {
            tarball = SourceTarball.create(deploy.source());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot pack " + deploy.source(), e);
        }
        JsonNode build;
        try {
            build = client.upload("/apps/" + app + "/builds?source_checksum=" + deploy.checksum(), tarball,
                    sent -> { });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot upload " + deploy.source(), e);
        } finally {
            try {
                Files.deleteIfExists(tarball);
            } catch (IOException e) {
                // A temporary file left behind is no reason to fail the deploy.
            }
        }
        say.accept("-----> Building (build " + BuildStream.shortId(build.path("id").asText()) + ")");
        Deque<String> last = new ArrayDeque<>();
        Consumer<String> output = verbose ? say : line -> {
            if (last.size() == FAILED_BUILD_LINES) {
                last.removeFirst();
            }
            last.addLast(line);
        };
        JsonNode finished = BuildStream.follow(client, app, build, output, say);
        if (!finished.path("status").asText().equals("succeeded")) {
            last.forEach(say);
            throw new CliError("the build failed: " + finished.path("error").asText("the build failed")
                    + " (`slipway builds:output " + finished.path("id").asText() + " -a " + app + "`)");
        }
        int version = finished.path("release").path("version").asInt();
        say.accept("-----> Released v" + version);
        follow(app, version, say);
    }

    private void follow(String app, int version, Consumer<String> say) throws InterruptedException {
        if (waitSeconds > 0) {
            DeploymentProgress.follow(client, app, version, waitSeconds, say);
        }
    }

    private void formation(String app, String type, Map<String, Object> body) {
        client.patch("/apps/" + app + "/formation/" + ApiClient.segment(type), body);
    }
}
