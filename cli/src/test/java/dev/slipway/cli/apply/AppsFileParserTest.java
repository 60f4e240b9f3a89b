package dev.slipway.cli.apply;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AppsFileParserTest {
    @TempDir
    Path folder;

    private AppsFile parse(String yaml) {
        return AppsFileParser.parse(Path.of("apps.yaml"), yaml, folder);
    }

    private List<String> problems(String yaml) {
        try {
            parse(yaml);
        } catch (InvalidAppsFile e) {
            return e.problems();
        }
        throw new AssertionError("the file was taken");
    }

    @Test
    void everyKeyIsReadInTheOrderGiven() throws Exception {
        Files.createDirectories(folder.resolve("src/web"));
        AppsFile file = parse("""
                version: 1
                apps:
                  - name: db
                    release: v3
                  - name: web
                    source: src/web
                    team: ops
                    formation: {web: 2, worker: 0}
                    sizes: {web: large}
                    config: {GREETING: hi, WORKERS: 4, DEBUG: true, OLD: null}
                    constraints: {web: ["hostname:UNIQUE", [zone, GROUP_BY, "3"]], worker: []}
                    domains: [www.example.com]
                    depends_on: [db]
                """);

        assertThat(file.apps()).extracting(AppSpec::name).containsExactly("db", "web");
        AppSpec db = file.apps().get(0);
        assertThat(db.release()).isEqualTo("v3");
        assertThat(db.config()).isNull();
        assertThat(db.formation()).isNull();
        AppSpec web = file.apps().get(1);
        assertThat(web.source()).isEqualTo(folder.resolve("src/web"));
        assertThat(web.team()).isEqualTo("ops");
        assertThat(web.formation()).containsExactly(java.util.Map.entry("web", 2), java.util.Map.entry("worker", 0));
        assertThat(web.sizes()).containsEntry("web", "large");
        assertThat(web.config()).containsEntry("GREETING", "hi").containsEntry("WORKERS", "4")
                .containsEntry("DEBUG", "true").containsEntry("OLD", null);
        assertThat(web.constraints().get("web")).containsExactly("hostname:UNIQUE", "zone:GROUP_BY:3");
        assertThat(web.constraints().get("worker")).isEmpty();
        assertThat(web.domains()).containsExactly("www.example.com");
        assertThat(web.dependsOn()).containsExactly("db");
    }

    @Test
    void anUnknownKeyIsRefusedNamingItsPath() {
        assertThat(problems("""
                version: 1
                apps:
                  - name: a
                  - name: b
                  - name: c
                  - name: d
                    formaton: {web: 1}
                colour: blue
                """)).anySatisfy(p -> assertThat(p).startsWith("apps[3].formaton: unknown key"))
                .anySatisfy(p -> assertThat(p).startsWith("colour: unknown key"));
    }

    @Test
    void badValuesAreRefusedEachNamingItsField() {
        List<String> problems = problems("""
                version: 1
                apps:
                  - name: Bad_Name
                  - name: ok
                    formation: {web: 101, worker: -1, Web: 1}
                    sizes: {web: HUGE}
                    config: {1FOO: x, FOO: [1, 2]}
                    constraints: {web: ["hostname:SPREAD"]}
                    domains: [not a host]
                    source: nowhere
                    release: v1
                """);

        assertThat(problems).anySatisfy(p -> assertThat(p).startsWith("apps[0].name: 'Bad_Name' is not a valid app name"))
                .anySatisfy(p -> assertThat(p).startsWith("apps[1].formation.web: the quantity must be a whole number from 0 to 100"))
                .anySatisfy(p -> assertThat(p).startsWith("apps[1].formation.worker: the quantity"))
                .anySatisfy(p -> assertThat(p).startsWith("apps[1].formation.Web: not a process type name"))
                .anySatisfy(p -> assertThat(p).startsWith("apps[1].sizes.web: 'HUGE' is not a size name"))
                .anySatisfy(p -> assertThat(p).startsWith("apps[1].config.1FOO: config var name '1FOO' is not valid"))
                .anySatisfy(p -> assertThat(p).startsWith("apps[1].config.FOO: must be a string"))
                .anySatisfy(p -> assertThat(p).startsWith("apps[1].constraints.web[0]: unknown operator 'SPREAD'"))
                .anySatisfy(p -> assertThat(p).startsWith("apps[1].domains[0]: 'not a host' is not a hostname"))
                .anySatisfy(p -> assertThat(p).startsWith("apps[1].source: nowhere is not a directory"))
                .anySatisfy(p -> assertThat(p).isEqualTo("apps[1]: give source or release, not both"));
    }

    @Test
    void configValuesAreBoundAsTheServerBindsThemAndNeverShown() {
        String big = "x".repeat(32 * 1024 + 1);
        List<String> problems = problems("version: 1\napps:\n  - name: a\n    config: {TOKEN: " + big + "}\n");

        assertThat(problems).singleElement().satisfies(p -> assertThat(p)
                .startsWith("apps[0].config: config var TOKEN: its value takes 32769 bytes").doesNotContain("xxxx"));
        String half = "y".repeat(30 * 1024);
        assertThat(problems("version: 1\napps:\n  - name: a\n    config: {A: " + half + ", B: " + half + ", C: " + half
                + "}\n")).singleElement().satisfies(p -> assertThat(p).contains("more than the 64 KB"));
    }

    @Test
    void aDuplicateAppOrKeyIsRefused() {
        assertThat(problems("""
                version: 1
                apps:
                  - name: web
                  - name: web
                """)).containsExactly("apps[1].name: 'web' is declared twice (also apps[0])");
        assertThat(problems("""
                version: 1
                apps:
                  - name: web
                    config: {A: x}
                    config: {B: y}
                """)).singleElement().satisfies(p -> assertThat(p).startsWith("not YAML: Duplicate field 'config'"));
    }

    @Test
    void aCycleIsRefusedNamingIt() {
        assertThat(problems("""
                version: 1
                apps:
                  - name: front
                    depends_on: [api]
                  - name: api
                    depends_on: [worker]
                  - name: worker
                    depends_on: [api]
                """)).containsExactly("depends_on: a cycle: api -> worker -> api");
    }

    @Test
    void aReferenceToAnUnknownAppOrItselfIsRefused() {
        assertThat(problems("""
                version: 1
                apps:
                  - name: front
                    depends_on: [api, front]
                """)).containsExactly("apps[0].depends_on[1]: an app cannot depend on itself");
        assertThat(problems("""
                version: 1
                apps:
                  - name: front
                    depends_on: [api]
                """)).containsExactly("apps[0].depends_on: unknown app 'api' (not in this file)");
    }

    @Test
    void theVersionAndTheListOfAppsAreRequired() {
        assertThat(problems("apps: []\n")).containsExactly(
                "version: missing: start the file with `version: 1`", "apps: must be a list of at least one app");
        assertThat(problems("version: 2\napps: [{name: a}]\n")).containsExactly("version: must be 1, not 2");
        assertThat(problems("- a\n- b\n")).containsExactly("the file must be a mapping with `version: 1` and `apps:`");
        assertThat(problems("version: 1\napps:\n  - {source: x}\n")).contains("apps[0].name: missing");
    }

    @Test
    void theRepositorysExampleDeclaresTwentyAppsAndIsValid() {
        AppsFile example = AppsFileParser.read(Path.of("../examples/apply/apps.yaml"));

        assertThat(example.apps()).hasSize(20);
        assertThat(example.apps()).allSatisfy(app -> assertThat(app.source()).isDirectory());
        assertThat(example.apps()).anySatisfy(app -> assertThat(app.dependsOn()).isNotEmpty());
    }

    @Test
    void aFileThatCannotBeReadIsSaidSo() {
        assertThatThrownBy(() -> AppsFileParser.read(folder.resolve("missing.yaml")))
                .isInstanceOf(InvalidAppsFile.class).hasMessageContaining("cannot be read");
    }
}
