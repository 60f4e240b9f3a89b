package dev.slipway.slug;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runtime versions an app asks for, in the stack image: {@code engines.node} and {@code .nvmrc}
 * (nodejs buildpack), {@code system.properties}' {@code java.runtime.version} and {@code mvnw}
 * (java-maven buildpack) are met or the build stops naming what the stack has, unless the app sets
 * {@code SLIPWAY_RUNTIME_FALLBACK=1}.
 */
class RuntimeVersionsInTheStackTest {
    private static final Path REPOSITORY = Path.of("").toAbsolutePath().getParent();
    private static final Path WRAPPER = Path.of("src/test/resources/maven-wrapper").toAbsolutePath();
    private static final String VERSION = "\\d+\\.\\d+\\.\\d+(\\.\\d+)?";
    private static final Map<String, String> FALLBACK = Map.of("SLIPWAY_RUNTIME_FALLBACK", "1");

    @RegisterExtension
    static final TheStack STACK = new TheStack();

    /** Builds, slugs and the app's build cache, shared by the tests: the Maven repository is fetched once. */
    @TempDir
    static Path data;

    @TempDir
    Path tmp;

    private final List<String> output = Collections.synchronizedList(new ArrayList<>());
    private int builds;

    private AppDir nodeApp(String engines) {
        return AppDir.at(tmp.resolve("src-" + ++builds))
                .file("package.json", "{\"name\": \"runtime\", \"version\": \"1.0.0\", \"private\": true"
                        + (engines == null ? "" : ", \"engines\": {\"node\": \"" + engines + "\"}") + "}\n")
                .file("server.js", "require('http').createServer((q, s) => s.end('hi')).listen(process.env.PORT)\n");
    }

    private AppDir javaApp() {
        return AppDir.copyOf(REPOSITORY.resolve("examples/java-maven"), tmp.resolve("src-" + ++builds));
    }

    /** The app with the Maven wrapper that `mvn wrapper:wrapper -Dmaven=3.9.9 -Dtype=only-script` writes. */
    private static AppDir withWrapper(AppDir app) {
        return AppDir.copyOf(WRAPPER, app.root());
    }

    private CompiledSlug build(AppDir app, Map<String, String> config) {
        output.clear();
        return STACK.builtIns(data).compile(new BuildRequest("runtime", app.root(), output::add, config, List.of()));
    }

    private void refused(AppDir app, String buildpack) {
        assertThatThrownBy(() -> build(app, Map.of()))
                .isInstanceOf(BuildFailed.class)
                .hasMessage("buildpack " + buildpack + " failed: bin/compile exited 1");
    }

    @Test
    void aNodeRangeTheStackMeetsBuildsAndSaysWhichNode() {
        build(nodeApp(">=16"), Map.of());

        assertThat(output).anyMatch(line -> line.matches("-----> Using Node " + VERSION + " \\(engines.node: >=16\\)"));
    }

    @Test
    void aNodeVersionTheStackLacksStopsTheBuildNamingTheOneItHas() {
        refused(nodeApp("4.0.0"), "nodejs");

        assertThat(output).anyMatch(line -> line.matches(
                " ! {5}engines.node asks for 4\\.0\\.0; this stack has Node " + VERSION + " and no other version\\."));
        String have = output.stream().filter(line -> line.contains("asks for 4.0.0")).findFirst().orElseThrow()
                .replaceAll(".*has Node (\\S+) and.*", "$1");
        assertThat(output).contains(" !     Ask for a version that includes " + have + " (such as "
                + have.split("\\.")[0] + ".x), or set the config var SLIPWAY_RUNTIME_FALLBACK=1 to build with "
                + have + ".");
        assertThat(output).noneMatch(line -> line.contains("Installing dependencies"));
    }

    @Test
    void theFallbackOptInBuildsWithTheStacksNodeAndSaysSo() {
        CompiledSlug slug = build(nodeApp("4.0.0"), FALLBACK);

        assertThat(slug.processTypes()).containsEntry("web", "npm start");
        assertThat(output).anyMatch(line -> line.matches("-----> Using Node " + VERSION
                + ", which is not what the app asks for: SLIPWAY_RUNTIME_FALLBACK=1 allows it"));
        assertThat(output).anyMatch(line -> line.matches(
                " {7}engines.node asks for 4\\.0\\.0; this stack has Node " + VERSION + " and no other version"));
    }

    @Test
    void nvmrcIsReadToo() {
        build(nodeApp(null).file(".nvmrc", "lts/*\n"), Map.of());
        assertThat(output).anyMatch(line -> line.matches(
                "-----> Using Node " + VERSION + " \\(\\.nvmrc: lts/\\*, the newest LTS this stack has \\(\\w+\\)\\)"));

        refused(nodeApp(null).file(".nvmrc", "v4.9.1\n"), "nodejs");
        assertThat(output).anyMatch(line -> line.matches(
                " ! {5}\\.nvmrc asks for v4\\.9\\.1; this stack has Node " + VERSION + " and no other version\\."));
    }

    @Test
    void javaRuntimeVersionOfTheStacksJdkBuildsWithIt() {
        build(javaApp().file("system.properties", "java.runtime.version=17\n"), Map.of());

        assertThat(output).anyMatch(line -> line.matches(
                "-----> Using Java 17" + "(\\.\\d+)* \\(system.properties: java.runtime.version=17\\)"));
        assertThat(output).anyMatch(line -> line.matches("-----> Using Maven " + VERSION + " \\(the app has no mvnw\\)"));
    }

    @Test
    void javaRuntimeVersionTheStackLacksStopsTheBuildNamingTheJdkItHas() {
        refused(javaApp().file("system.properties", "java.runtime.version=11\n"), "java-maven");

        assertThat(output).anyMatch(line -> line.matches(" ! {5}java.runtime.version asks for 11 \\(system.properties\\);"
                + " this stack has only Java 17 \\(17[.\\d]*\\)\\."));
        assertThat(output).anyMatch(line -> line.startsWith(" !     Ask for java.runtime.version=17 in system.properties,"
                + " or set the config var SLIPWAY_RUNTIME_FALLBACK=1 to build with Java 17"));
    }

    @Test
    void theAppsMavenWrapperFetchesAndRunsItsMaven() {
        CompiledSlug slug = build(withWrapper(javaApp()), Map.of());

        assertThat(output).contains("-----> Getting Maven with the app's wrapper (mvnw) from "
                        + "https://repo.maven.apache.org/maven2/org/apache/maven/apache-maven/3.9.9/apache-maven-3.9.9-bin.zip",
                "-----> Using Maven 3.9.9 (the app's mvnw)",
                "-----> Building with ./mvnw package (tests skipped)");
        assertThat(slug.processTypes().get("web")).isEqualTo("java $JAVA_OPTS -jar target/java-maven-1.0.0.jar");
    }

    @Test
    void aWrapperThatCannotGetItsMavenStopsTheBuildUnlessTheAppOptsIntoTheStacksMaven() {
        AppDir app = withWrapper(javaApp()).file(".mvn/wrapper/maven-wrapper.properties",
                "distributionUrl=https://repo.maven.apache.org/maven2/org/apache/maven/apache-maven/3.0.99/"
                        + "apache-maven-3.0.99-bin.zip\n");

        refused(app, "java-maven");
        assertThat(output).contains(" !     The app's Maven wrapper (mvnw) could not get its Maven from "
                + "https://repo.maven.apache.org/maven2/org/apache/maven/apache-maven/3.0.99/apache-maven-3.0.99-bin.zip.");
        assertThat(output).anyMatch(line -> line.matches(" ! {5}Fix \\.mvn/wrapper/maven-wrapper\\.properties, or set the"
                + " config var SLIPWAY_RUNTIME_FALLBACK=1 to build with this stack's Maven " + VERSION + " instead\\."));

        build(app, FALLBACK);
        assertThat(output).anyMatch(line -> line.matches(
                "-----> Using Maven " + VERSION + ", not the app's mvnw: SLIPWAY_RUNTIME_FALLBACK=1 allows it"));
        assertThat(output).contains("-----> Building with mvn package (tests skipped)");
    }
}
