package dev.slipway.executor.cds;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The executor's class-data archive, written by real JVMs started as the executor's command starts them. */
class ClassDataArchiveTest {
    @TempDir
    Path dir;

    @Test
    void aJvmStartedToRecordWritesAnArchiveThatTheNextJvmStartsFrom() throws Exception {
        Path jar = writerJar();
        Path archive = dir.resolve("slipway-executor-1-2-3.jsa");
        Files.writeString(dir.resolve("slipway-executor-0-0-0.jsa"), "an older jar's archive");

        Run first = run(jar, List.of("-XX:+RecordDynamicDumpInfo"), archive);

        assertThat(first.output()).contains("WRITTEN");
        assertThat(archive).isNotEmptyFile();
        try (Stream<Path> left = Files.list(dir)) {
            assertThat(left.map(p -> p.getFileName().toString()))
                    .as("no lock, no partial file, no other jar's archive")
                    .containsExactlyInAnyOrder(archive.getFileName().toString(), jar.getFileName().toString());
        }
        // -Xshare:on refuses to start from an archive it cannot map: the JVM starting is the proof.
        Run second = run(jar, List.of("-Xshare:on", "-XX:SharedArchiveFile=" + archive), null);
        assertThat(second.exit()).as(second.output()).isZero();
        assertThat(second.output()).contains("NOT_ASKED");
    }

    @Test
    void aJvmNotStartedToRecordWritesNothing() {
        Path archive = dir.resolve("slipway-executor-1-2-3.jsa");

        ClassDataArchive.Outcome outcome = ClassDataArchive.writeIfAsked(
                Map.of(ClassDataArchive.ARCHIVE_VARIABLE, archive.toString()), Clock.systemUTC());

        assertThat(outcome).isEqualTo(ClassDataArchive.Outcome.NOT_RECORDING);
        assertThat(archive).doesNotExist();
    }

    @Test
    void whileAnotherExecutorWritesTheArchiveNoSecondOneIsWrittenButALockLeftByAWriterThatDiedIsTakenOver()
            throws IOException {
        Path archive = dir.resolve("slipway-executor-1-2-3.jsa");
        Path lock = Files.createFile(dir.resolve("slipway-executor-1-2-3.jsa.lock"));
        Instant now = Instant.now();

        assertThat(ClassDataArchive.write(archive, Clock.fixed(now, java.time.ZoneOffset.UTC)))
                .isEqualTo(ClassDataArchive.Outcome.BEING_WRITTEN);
        assertThat(lock).exists();

        Files.setLastModifiedTime(lock, FileTime.from(now.minus(ClassDataArchive.STALE_LOCK).minusSeconds(1)));
        // This JVM does not record: the dump fails, but only after the stale lock was taken over.
        assertThat(ClassDataArchive.write(archive, Clock.fixed(now, java.time.ZoneOffset.UTC)))
                .isEqualTo(ClassDataArchive.Outcome.FAILED);
        assertThat(lock).as("released after the attempt").doesNotExist();
        assertThat(archive).doesNotExist();
    }

    private record Run(int exit, String output) {
    }

    /** A JVM running {@link ArchiveWriter} from jars only, as the executor runs (CDS archives jars, not directories). */
    private Run run(Path jar, List<String> options, Path archive) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xlog:cds=off", "-Xlog:cds+dynamic=off"));
        command.addAll(options);
        command.addAll(List.of("-cp", jar + java.io.File.pathSeparator + slf4j(), ArchiveWriter.class.getName()));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().remove(ClassDataArchive.ARCHIVE_VARIABLE);
        if (archive != null) {
            builder.environment().put(ClassDataArchive.ARCHIVE_VARIABLE, archive.toString());
        }
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(Duration.ofMinutes(1).toSeconds(), TimeUnit.SECONDS)).isTrue();
        return new Run(process.exitValue(), output);
    }

    private static Path slf4j() throws Exception {
        return Path.of(org.slf4j.Logger.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    }

    /** ClassDataArchive and ArchiveWriter in a jar of their own. */
    private Path writerJar() throws Exception {
        Path jar = dir.resolve("writer.jar");
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), manifest)) {
            for (Class<?> type : List.of(ClassDataArchive.class, ClassDataArchive.Outcome.class, ArchiveWriter.class)) {
                String name = type.getName().replace('.', '/') + ".class";
                Path file = Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).resolve(name);
                out.putNextEntry(new JarEntry(name));
                copy(file, out);
                out.closeEntry();
            }
        }
        return jar;
    }

    private static void copy(Path file, OutputStream out) throws IOException {
        Files.copy(file, out);
    }
}
