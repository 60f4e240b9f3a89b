package dev.slipway.slug;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The java-maven buildpack's choice of JDK ({@code buildpacks/java-maven/lib/jdk.sh}, run with
 * bash): {@code java.runtime.version} picks the JDK of its major version among the default one
 * and those in the JVM folder, here made-up JDKs (a release file and two scripts each), so that
 * a machine with several is tested whatever this one has.
 */
class JdkChoiceTest {
    private static final Path JDK_SH = Path.of("").toAbsolutePath().getParent()
            .resolve("buildpacks/java-maven/lib/jdk.sh");

    @TempDir
    Path tmp;

    private record Run(int exit, List<String> out) {
    }

    @Test
    void theMajorVersionOfWhatAppsWrite() throws Exception {
        String script = """
                for v in 17 1.8 1.8.0_392 11.0.2+9 17.0.21.1 21 21-ea 1.7.0_80 25.0.3 foo 17.x '' x17; do
                  echo "$v=$(java_major "$v")"
                done
                """;
        assertThat(bash(script, "", "").out()).containsExactly("17=17", "1.8=8", "1.8.0_392=8", "11.0.2+9=11",
                "17.0.21.1=17", "21=21", "21-ea=21", "1.7.0_80=7", "25.0.3=25", "foo=", "17.x=17", "=", "x17=");
    }

    @Test
    void theJdkOfTheAskedMajorBuildsAndTheDefaultOneOtherwise() throws Exception {
        Path jvm = jvmDir();

        Run asked21 = choose(jvm, "java.runtime.version=21\n", "");
        assertThat(asked21.exit()).isZero();
        assertThat(asked21.out()).containsExactly(
                "-----> Using Java 21.0.5 (system.properties: java.runtime.version=21)",
                "chosen " + jvm.resolve("jdk-21").toRealPath());

        Run none = choose(jvm, "", "");
        assertThat(none.out()).containsExactly(
                "-----> Using Java 17.0.21.1 (the app names no version: no java.runtime.version in system.properties)",
                "chosen " + jvm.resolve("jdk-17").toRealPath());

        Run precise = choose(jvm, "java.runtime.version = 17.0.9\r\n", "");
        assertThat(precise.out()).first().isEqualTo(
                "-----> Using Java 17.0.21.1 (system.properties: java.runtime.version=17.0.9; Java 17 here is 17.0.21.1)");

        Run vendor = choose(jvm, "java.runtime.version=zulu-21\n", "");
        assertThat(vendor.out()).first().isEqualTo(
                "-----> Using Java 21.0.5 (system.properties: java.runtime.version=zulu-21; Test's OpenJDK, not the zulu build)");
    }

    @Test
    void aMajorThereIsNoJdkOfStopsTheBuildNamingEachJdkOnce() throws Exception {
        Path jvm = jvmDir();
        Files.createSymbolicLink(jvm.resolve("java-1.21.0-alias"), jvm.resolve("jdk-21"));

        Run refused = choose(jvm, "java.runtime.version=1.8\n", "");
        assertThat(refused.exit()).isEqualTo(1);
        assertThat(refused.out()).containsExactly(
                " !     java.runtime.version asks for 1.8 (system.properties); this stack has only Java 17 (17.0.21.1)"
                        + " and 21 (21.0.5).",
                " !     Ask for java.runtime.version=17 in system.properties, or set the config var"
                        + " SLIPWAY_RUNTIME_FALLBACK=1 to build with Java 17.0.21.1.");

        Run unreadable = choose(jvm, "java.runtime.version=latest\n", "");
        assertThat(unreadable.exit()).isEqualTo(1);
        assertThat(unreadable.out()).first().isEqualTo(" !     java.runtime.version is \"latest\" (system.properties),"
                + " which is not a Java version Slipway can read (such as 17, 1.8 or 21); this stack has only Java 17"
                + " (17.0.21.1) and 21 (21.0.5).");

        Run optedIn = choose(jvm, "java.runtime.version=1.8\n", "yes");
        assertThat(optedIn.exit()).isZero();
        assertThat(optedIn.out()).containsExactly(
                "-----> Using Java 17.0.21.1, which is not what the app asks for: SLIPWAY_RUNTIME_FALLBACK=1 allows it",
                "       java.runtime.version asks for 1.8 (system.properties); this stack has only Java 17 (17.0.21.1)"
                        + " and 21 (21.0.5)",
                "chosen " + jvm.resolve("jdk-17").toRealPath());
    }

    /** A JVM folder with JDK 17 (the default: JAVA_HOME), JDK 21, and a folder that is no JDK. */
    private Path jvmDir() throws IOException {
        Path jvm = tmp.resolve("jvm");
        fakeJdk(jvm.resolve("jdk-17"), "17.0.21.1");
        fakeJdk(jvm.resolve("jdk-21"), "21.0.5");
        Files.createDirectories(jvm.resolve("not-a-jdk/bin"));
        return jvm;
    }

    private static void fakeJdk(Path home, String version) throws IOException {
        Files.createDirectories(home.resolve("bin"));
        Files.writeString(home.resolve("release"), "IMPLEMENTOR=\"Test\"\nJAVA_VERSION=\"" + version + "\"\n");
        for (String tool : List.of("java", "javac")) {
            Path script = Files.writeString(home.resolve("bin").resolve(tool), "#!/bin/sh\nexit 0\n");
            script.toFile().setExecutable(true);
        }
    }

    private Run choose(Path jvm, String systemProperties, String fallback) throws Exception {
        Path app = Files.createDirectories(tmp.resolve("app"));
        Files.deleteIfExists(app.resolve("system.properties"));
        if (!systemProperties.isEmpty()) {
            Files.writeString(app.resolve("system.properties"), systemProperties);
        }
        String script = """
                export JAVA_HOME="$2/jdk-17" jvm_dir="$2" where="this stack" fallback="$3"
                choose_jdk "$1"
                echo "chosen ${jdk_homes[chosen]}"
                """;
        return bash(script, app.toString(), jvm.toString(), fallback);
    }

    /** Runs the script with jdk.sh sourced and fail() as bin/compile's, stderr with stdout. */
    private static Run bash(String script, String... args) throws Exception {
        String prelude = "set -euo pipefail\nsource \"$JDK_SH\"\n"
                + "fail() { local line; for line in \"$@\"; do echo \" !     $line\" >&2; done; exit 1; }\n";
        ProcessBuilder builder = new ProcessBuilder("bash", "-c", prelude + script, "bash");
        builder.command().addAll(List.of(args));
        builder.environment().put("JDK_SH", JDK_SH.toString());
        Process bash = builder.redirectErrorStream(true).start();
        bash.getOutputStream().close();
        String out = new String(bash.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(bash.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return new Run(bash.exitValue(), out.lines().toList());
    }
}
