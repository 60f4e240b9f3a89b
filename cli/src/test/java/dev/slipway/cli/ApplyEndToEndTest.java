package dev.slipway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.ArrayList;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code slipway apply -f apps.yaml} as a user meets it, against all of Slipway in this JVM: a bad
 * file is refused with nothing applied, a dry run changes nothing, three apps (one depending on
 * another) are created, configured, deployed and scaled, a second apply changes nothing, a changed
 * config value changes only its app, and a failed app skips its dependents while the others go on.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ApplyEndToEndTest {
    static final Path HELLO = Path.of("../examples/procfile-hello").toAbsolutePath().normalize();
    static final Path SITE = Path.of("../examples/static-site").toAbsolutePath().normalize();
    static final Path EXAMPLE_FILE = Path.of("../examples/apply/apps.yaml").toAbsolutePath().normalize();
    @RegisterExtension
    static final SlipwayForTests slipway = new SlipwayForTests();
    @TempDir
    static Path work;
    static String api;
    static Path file;

    @BeforeAll
    static void givenAnAppsFile() throws Exception {
        api = slipway.api();
        file = work.resolve("apps.yaml");
        write("first");
    }

    /** Three apps: {@code front} depends on {@code api}; {@code api} greets with {@code greeting}. */
    static void write(String greeting) throws Exception {
        Files.writeString(file, """
                version: 1
                apps:
                  - name: front
                    source: %s
                    depends_on: [api]
                    config: {BACKEND: "http://api.localhost"}
                  - name: api
                    source: %s
                    formation: {web: 2}
                    config:
                      GREETING: "%s"
                      API_KEY: planted-secret-9d1e
                      NEVER_SET: null
                  - name: site
                    source: %s
                    sizes: {web: medium}
                    constraints:
                      web: ["hostname:MAX_PER:2"]
                """.formatted(HELLO, HELLO, greeting, SITE));
    }

    @Test
    @Order(1)
    void aBadFileIsRefusedNamingItsFieldsAndNothingIsApplied() throws Exception {
        Path bad = work.resolve("bad.yaml");
        Files.writeString(bad, """
                version: 1
                apps:
                  - name: one
                  - name: two
                    formaton: {web: 1}
                  - name: three
                    config: {1FOO: x}
                    formation: {web: 500}
                """);
        Path cycle = work.resolve("cycle.yaml");
        Files.writeString(cycle, """
                version: 1
                apps:
                  - {name: one, depends_on: [two]}
                  - {name: two, depends_on: [one]}
                """);

        Cli.Result refused = Cli.run(api, "apply", "-f", bad.toString());
        Cli.Result looping = Cli.run(api, "apply", "-f", cycle.toString());

        assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(1);
        assertThat(refused.err()).contains("nothing was applied").contains("apps[1].formaton: unknown key")
                .contains("apps[2].config.1FOO: config var name '1FOO' is not valid")
                .contains("apps[2].formation.web: the quantity must be a whole number from 0 to 100");
        assertThat(looping.exitCode()).isEqualTo(1);
        assertThat(looping.err()).contains("depends_on: a cycle: one -> two -> one");
        assertThat(apps()).isEmpty();
    }

    @Test
    @Order(2)
    void aDryRunPrintsThePlanAndChangesNothing() throws Exception {
        Cli.Result planned = Cli.run(api, "apply", "-f", file.toString(), "--dry-run");
        Cli.Result example = Cli.run(api, "apply", "-f", EXAMPLE_FILE.toString(), "--dry-run");

        assertThat(planned.exitCode()).as(planned.toString()).isZero();
        assertThat(planned.out()).contains("3 apps to change, 0 up to date").contains("api (new):")
                .contains("- create").contains("- config: set GREETING, API_KEY\n")
                .contains("- deploy " + HELLO + " (first deploy)").contains("- scale web=2")
                .contains("- resize web=medium").contains("- constraints web: hostname:MAX_PER:2")
                .contains("Dry run: nothing was changed.").doesNotContain("planted-secret");
        assertThat(example.exitCode()).as(example.toString()).isZero();
        assertThat(example.out()).contains("20 apps to change, 0 up to date").contains("hello-api (new):")
                .contains("billing (new):");
        assertThat(apps()).isEmpty();
    }

    @Test
    @Order(3)
    void applyCreatesConfiguresDeploysAndScalesEveryAppInDependencyOrder() throws Exception {
        Cli.Result applied = Cli.run(api, "apply", "-f", file.toString());

        assertThat(applied.exitCode()).as(applied.toString()).isZero();
        assertThat(applied.out()).contains("3 changed, 0 up to date, 0 failed, 0 skipped")
                .doesNotContain("planted-secret");
        assertThat(applied.out().indexOf("front: create")).isGreaterThan(applied.out().indexOf("api: converged"));
        assertThat(apps()).containsOnlyKeys("front", "api", "site");
        assertThat(Cli.ok(api, "config:get", "GREETING", "-a", "api")).isEqualTo("first\n");
        assertThat(Cli.ok(api, "config:get", "BACKEND", "-a", "front")).isEqualTo("http://api.localhost\n");
        assertThat(formation("api").path("quantity").asInt()).isEqualTo(2);
        assertThat(formation("site").path("size").asText()).isEqualTo("medium");
        assertThat(formation("site").path("constraints").get(0).asText()).isEqualTo("hostname:MAX_PER:2");
        assertThat(TestHttp.list(URI.create(api + "/apps/api/builds")).get(0).path("source_checksum").asText())
                .startsWith("sha256:");
    }

    @Test
    @Order(4)
    void aSecondApplyOfTheSameFileChangesNothing() throws Exception {
        Map<String, Integer> releases = releases();

        Cli.Result again = Cli.run(api, "apply", "-f", file.toString());

        assertThat(again.exitCode()).as(again.toString()).isZero();
        // The framework in this JVM may log a line to the same stdout: only apply's own lines are looked at.
        assertThat(again.out()).contains("3 apps up to date: nothing to do\n").doesNotContain("Plan for");
        assertThat(releases()).isEqualTo(releases);
    }

    @Test
    @Order(5)
    void aChangedConfigValueChangesOnlyItsApp() throws Exception {
        Map<String, Integer> before = releases();
        write("second");

        Cli.Result changed = Cli.run(api, "apply", "-f", file.toString());

        assertThat(changed.exitCode()).as(changed.toString()).isZero();
        assertThat(changed.out()).contains("1 app to change, 2 up to date").contains("  api:\n    - config: set GREETING\n")
                .contains("1 changed, 2 up to date, 0 failed, 0 skipped").doesNotContain("second");
        assertThat(Cli.ok(api, "config:get", "GREETING", "-a", "api")).isEqualTo("second\n");
        Map<String, Integer> after = releases();
        assertThat(after.get("api")).isEqualTo(before.get("api") + 1);
        assertThat(after.get("front")).isEqualTo(before.get("front"));
        assertThat(after.get("site")).isEqualTo(before.get("site"));
    }

    @Test
    @Order(6)
    void aChangedSourceIsDeployedAgainAndAReleaseBringsBackAnOlderSlug() throws Exception {
        Path edited = Files.createDirectories(work.resolve("hello-edited"));
        for (String name : List.of("Procfile", "Hello.java")) {
            Files.copy(HELLO.resolve(name), edited.resolve(name));
        }
        Files.writeString(edited.resolve("Hello.java"), "\n// edited\n", java.nio.file.StandardOpenOption.APPEND);
        Path front = work.resolve("front.yaml");
        Files.writeString(front, "version: 1\napps:\n  - name: front\n    source: hello-edited\n");
        String v1Slug = slug("front", 1);

        Cli.Result redeployed = Cli.run(api, "apply", "-f", front.toString());

        assertThat(redeployed.exitCode()).as(redeployed.toString()).isZero();
        assertThat(redeployed.out()).contains("- deploy " + edited + " (source changed)").contains("1 changed");
        assertThat(slug("front", 2)).isNotEqualTo(v1Slug);
        assertThat(Cli.ok(api, "apply", "-f", front.toString())).contains("1 app up to date: nothing to do\n")
                .doesNotContain("Plan for");

        Files.writeString(front, "version: 1\napps:\n  - name: front\n    release: v1\n");
        Cli.Result released = Cli.run(api, "apply", "-f", front.toString());

        assertThat(released.exitCode()).as(released.toString()).isZero();
        assertThat(released.out()).contains("- release the slug of v1 (" + v1Slug.substring(0, 12) + ")")
                .contains("-----> v3 is running");
        assertThat(slug("front", 3)).isEqualTo(v1Slug);
        assertThat(Cli.ok(api, "apply", "-f", front.toString())).contains("1 app up to date: nothing to do\n")
                .doesNotContain("Plan for");
    }

    @Test
    @Order(7)
    void aFailedAppSkipsItsDependentsAndTheOthersGoOn() throws Exception {
        Path failing = work.resolve("failing.yaml");
        Files.writeString(failing, """
                version: 1
                apps:
                  - name: front
                    depends_on: [api]
                    formation: {web: 1}
                  - name: api
                    release: v99
                  - name: site
                    formation: {web: 2}
                """);

        Cli.Result result = Cli.run(api, "apply", "-f", failing.toString());

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(1);
        assertThat(result.out()).contains("api: cannot plan: cannot read its state: release: api has no release v99")
                .contains("1 changed, 0 up to date, 1 failed, 1 skipped")
                .contains("front skipped: depends on api, which failed");
        assertThat(formation("site").path("quantity").asInt()).isEqualTo(2);
    }

    @Test
    @Order(8)
    void domainsAreAddedThenLeftAloneThenRemovedAsTheFileSays() throws Exception {
        Path withDomains = work.resolve("domains.yaml");
        Files.writeString(withDomains, """
                version: 1
                apps:
                  - name: site
                    domains: [www.example.com, "*.site.example.org"]
                """);

        Cli.Result added = Cli.run(api, "apply", "-f", withDomains.toString());
        Cli.Result again = Cli.run(api, "apply", "-f", withDomains.toString());
        Files.writeString(withDomains, """
                version: 1
                apps:
                  - name: site
                    domains: [www.example.com]
                """);
        Cli.Result removed = Cli.run(api, "apply", "-f", withDomains.toString());

        assertThat(added.exitCode()).as(added.toString()).isZero();
        assertThat(added.out()).contains("add domain www.example.com").contains("add domain *.site.example.org");
        assertThat(again.exitCode()).as(again.toString()).isZero();
        assertThat(again.out()).contains("1 app up to date");
        assertThat(removed.exitCode()).as(removed.toString()).isZero();
        assertThat(removed.out()).contains("remove domain *.site.example.org").doesNotContain("add domain");
        assertThat(customDomains("site")).containsExactly("www.example.com");
    }

    static List<String> customDomains(String app) throws Exception {
        List<String> hosts = new ArrayList<>();
        for (JsonNode domain : TestHttp.list(URI.create(api + "/apps/" + app + "/domains"))) {
            if (domain.path("kind").asText().equals("custom")) {
                hosts.add(domain.path("hostname").asText());
            }
        }
        return hosts;
    }

    static Map<String, JsonNode> apps() throws Exception {
        Map<String, JsonNode> apps = new HashMap<>();
        for (JsonNode app : TestHttp.list(URI.create(api + "/apps"))) {
            apps.put(app.path("name").asText(), app);
        }
        return apps;
    }

    static Map<String, Integer> releases() throws Exception {
        Map<String, Integer> releases = new HashMap<>();
        apps().forEach((name, app) -> releases.put(name, app.path("release").asInt()));
        return releases;
    }

    static String slug(String app, int version) throws Exception {
        return TestHttp.json(URI.create(api + "/apps/" + app + "/releases/" + version)).path("slug").path("id").asText();
    }

    static JsonNode formation(String app) throws Exception {
        List<JsonNode> rows = TestHttp.list(URI.create(api + "/apps/" + app + "/formation"));
        return rows.stream().filter(row -> row.path("type").asText().equals("web")).findFirst().orElseThrow();
    }
}
