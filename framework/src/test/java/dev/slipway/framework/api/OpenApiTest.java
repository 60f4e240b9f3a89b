package dev.slipway.framework.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.slipway.zk.Json;
import io.vertx.core.http.HttpMethod;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code GET /openapi.json}: a valid OpenAPI 3.1 document that describes exactly the routes the
 * API's router serves, no more and no less. A route added without its description in
 * {@code resources/dev/slipway/framework/api/openapi/<area>.json} fails here.
 */
class OpenApiTest {
    private static final Set<String> OPERATIONS = Set.of("get", "head", "post", "put", "patch", "delete", "options",
            "trace");

    @RegisterExtension
    static final ApiScenario api = new ApiScenario();

    @Test
    void everyRouteTheRouterServesIsInTheDocumentAndEveryDocumentedOperationIsServed() throws Exception {
        JsonNode paths = document().path("paths");
        List<RouteTable.Entry> routes = api.api.routes().entries();
        assertThat(routes).isNotEmpty();

        List<String> undocumented = new ArrayList<>();
        for (RouteTable.Entry route : routes) {
            for (HttpMethod method : route.methods()) {
                String verb = method.name().toLowerCase(Locale.ROOT);
                boolean documented = route.regex()
                        ? documentedPaths(paths).stream().anyMatch(p -> route.pattern().matcher(sample(p)).matches()
                                && paths.path(p).has(verb))
                        : documentedPaths(paths).stream().anyMatch(p -> shape(p).equals(shape(route.template()))
                                && paths.path(p).has(verb));
                if (!documented) {
                    undocumented.add(method.name() + " " + route.template());
                }
            }
        }
        List<String> unserved = new ArrayList<>();
        for (String path : documentedPaths(paths)) {
            paths.path(path).fieldNames().forEachRemaining(verb -> {
                if (!OPERATIONS.contains(verb)) {
                    return;
                }
                HttpMethod method = HttpMethod.valueOf(verb.toUpperCase(Locale.ROOT));
                boolean served = routes.stream().anyMatch(route -> route.methods().contains(method)
                        && (route.regex() ? route.pattern().matcher(sample(path)).matches()
                        : shape(route.template()).equals(shape(path))));
                if (!served) {
                    unserved.add(verb.toUpperCase(Locale.ROOT) + " " + path);
                }
            });
        }

        assertThat(undocumented).as("routes missing from /openapi.json: describe them in an area file under "
                + OpenApi.FOLDER).isEmpty();
        assertThat(unserved).as("operations /openapi.json lists that no route serves").isEmpty();
    }

    @Test
    void theDocumentIsOpenApi31WithResponsesForEveryOperationAndEveryReferenceResolving() throws Exception {
        JsonNode document = document();

        assertThat(document.path("openapi").asText()).matches("3\\.1\\.\\d+");
        assertThat(document.path("info").path("title").asText()).isNotEmpty();
        assertThat(document.path("info").path("version").asText()).isNotEmpty();
        assertThat(document.path("components").path("securitySchemes").path("bearer").path("scheme").asText())
                .isEqualTo("bearer");
        List<String> problems = new ArrayList<>();
        Set<String> operationIds = new TreeSet<>();
        document.path("paths").fields().forEachRemaining(path -> {
            if (!path.getKey().startsWith("/")) {
                problems.add("path " + path.getKey() + " does not start with /");
            }
            path.getValue().fields().forEachRemaining(operation -> {
                if (!OPERATIONS.contains(operation.getKey())) {
                    return;
                }
                JsonNode responses = operation.getValue().path("responses");
                if (!responses.isObject() || responses.isEmpty()) {
                    problems.add(operation.getKey() + " " + path.getKey() + " has no responses");
                }
                responses.fieldNames().forEachRemaining(code -> {
                    if (!code.matches("[1-5]\\d\\d|[1-5]XX|default")) {
                        problems.add(operation.getKey() + " " + path.getKey() + " answers '" + code + "'");
                    }
                });
                String id = operation.getValue().path("operationId").asText();
                if (!id.isEmpty() && !operationIds.add(id)) {
                    problems.add("operationId " + id + " is used twice");
                }
                for (String parameter : templateParameters(path.getKey())) {
                    if (!declares(document, operation.getValue(), path.getValue(), parameter)) {
                        problems.add(operation.getKey() + " " + path.getKey() + " does not declare {" + parameter
                                + "}");
                    }
                }
            });
        });
        references(document, document, problems);

        assertThat(problems).isEmpty();
    }

    @Test
    void answersCarryExactlyTheFieldsTheirSchemasName() throws Exception {
        JsonNode schemas = document().path("components").path("schemas");
        api.givenApp("described");
        api.givenBuildpacks("described", api.aBuildpack("Described", "echo '       compiled'\n"));
        JsonNode build = api.finished("described", api.build("described").path("id").asText());
        assertThat(build.path("status").asText()).isEqualTo("succeeded");
        api.vetoes.put("described web.1", List.of("no offer yet"));
        try {
            assertFields(schemas, "App", api.json("/apps/described"));
            assertFields(schemas, "App", api.json("/apps").get(0));
            assertFields(schemas, "Build", build);
            assertFields(schemas, "Release", build.path("release"));
            assertFields(schemas, "SlugRef", build.path("release").path("slug"));
            assertFields(schemas, "Release", api.json("/apps/described/releases").get(0));
            assertFields(schemas, "Formation", api.json("/apps/described/formation").get(0));
            assertFields(schemas, "Dyno", api.json("/apps/described/dynos").get(0));
            assertFields(schemas, "Health", api.json("/health"));
            assertFields(schemas, "Readiness", api.json("/ready"));
            assertFields(schemas, "Problem", api.json("/apps/nobody"));
        } finally {
            api.vetoes.clear();
        }
        api.put("/apps/described/buildpacks", "{\"buildpacks\": [\"nodejs\"]}");
        assertFields(schemas, "Buildpack", api.json("/apps/described/buildpacks").get(0));
    }

    /** The object has every required property of the schema, and none it does not list. */
    private static void assertFields(JsonNode schemas, String name, JsonNode value) {
        JsonNode schema = schemas.path(name);
        assertThat(schema.isObject()).as("schema " + name).isTrue();
        Set<String> listed = new TreeSet<>();
        schema.path("properties").fieldNames().forEachRemaining(listed::add);
        Set<String> required = new TreeSet<>();
        schema.path("required").forEach(field -> required.add(field.asText()));
        Set<String> answered = new TreeSet<>();
        value.fieldNames().forEachRemaining(answered::add);
        assertThat(listed).as("the fields %s answers (%s)", name, value).containsAll(answered);
        assertThat(answered).as("the required fields of %s (%s)", name, value).containsAll(required);
    }

    @Test
    void theDocumentIsPublicCacheableAndAnsweredNotModifiedForItsETag() throws Exception {
        HttpResponse<String> first = api.get("/openapi.json");

        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(first.headers().firstValue("Content-Type")).contains("application/json");
        assertThat(first.headers().firstValue("Cache-Control")).hasValueSatisfying(v -> assertThat(v).contains("public"));
        String etag = first.headers().firstValue("ETag").orElseThrow();
        HttpResponse<String> again = ApiScenario.HTTP.send(api.request("/openapi.json").header("If-None-Match", etag)
                .GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(again.statusCode()).isEqualTo(304);
    }

    @Test
    void everyAreaFileOnTheClasspathIsMerged() {
        assertThat(OpenApi.areaFiles(OpenApi.class.getClassLoader()).keySet())
                .contains("apps.json", "buildpacks.json", "builds.json", "downloads.json", "events.json", "health.json",
                        "logs.json");
    }

    private static JsonNode document() throws Exception {
        HttpResponse<String> answer = api.get("/openapi.json");
        assertThat(answer.statusCode()).isEqualTo(200);
        return Json.mapper().readTree(answer.body());
    }

    private static List<String> documentedPaths(JsonNode paths) {
        List<String> names = new ArrayList<>();
        paths.fieldNames().forEachRemaining(names::add);
        return names;
    }

    /** A path with its parameters unnamed: {@code /apps/{}/builds/{}}. */
    private static String shape(String template) {
        return template.replaceAll("\\{[^}/]+\\}", "{}");
    }

    /** A concrete path a template stands for, to try a regular expression route on. */
    private static String sample(String template) {
        return template.replaceAll("\\{[^}/]+\\}", "x1");
    }

    private static List<String> templateParameters(String template) {
        List<String> names = new ArrayList<>();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\{([^}/]+)\\}").matcher(template);
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    private static boolean declares(JsonNode document, JsonNode operation, JsonNode pathItem, String name) {
        List<JsonNode> parameters = new ArrayList<>();
        operation.path("parameters").forEach(parameters::add);
        pathItem.path("parameters").forEach(parameters::add);
        return parameters.stream().map(p -> p.has("$ref") ? resolve(document, p.get("$ref").asText()) : p)
                .anyMatch(p -> p != null && name.equals(p.path("name").asText()) && "path".equals(p.path("in").asText())
                        && p.path("required").asBoolean());
    }

    private static void references(JsonNode document, JsonNode node, List<String> problems) {
        if (node.isObject()) {
            JsonNode ref = node.get("$ref");
            if (ref != null && ref.isTextual() && resolve(document, ref.asText()) == null) {
                problems.add("$ref " + ref.asText() + " does not resolve");
            }
            node.elements().forEachRemaining(child -> references(document, child, problems));
        } else if (node.isArray()) {
            node.elements().forEachRemaining(child -> references(document, child, problems));
        }
    }

    private static JsonNode resolve(JsonNode document, String ref) {
        if (!ref.startsWith("#/")) {
            return null;
        }
        JsonNode found = document.at(ref.substring(1));
        return found.isMissingNode() ? null : found;
    }
}
