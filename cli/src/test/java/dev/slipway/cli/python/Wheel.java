package dev.slipway.cli.python;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * A pure-Python wheel made in Java, for tests that must not reach PyPI: a zip of the package's
 * files and its {@code .dist-info} ({@code METADATA}, {@code WHEEL}, {@code entry_points.txt} for
 * console scripts, {@code RECORD} with each file's hash), as PEP 427 describes it.
 */
public final class Wheel {
    private static final long FIXED_TIME = 1_600_000_000_000L;
    private final String name;
    private final String version;
    private final Map<String, String> files = new LinkedHashMap<>();
    private final List<String> requires = new ArrayList<>();
    private final Map<String, String> scripts = new LinkedHashMap<>();

    private Wheel(String name, String version) {
        this.name = name;
        this.version = version;
    }

    /** A wheel of project {@code name} (as in requirements.txt) at {@code version}, with no files yet. */
    public static Wheel of(String name, String version) {
        return new Wheel(name, version);
    }

    /** A file of the package, e.g. {@code hello/__init__.py}. */
    public Wheel file(String path, String content) {
        files.put(path, content);
        return this;
    }

    /** A requirement, e.g. {@code greeting-words>=1.0}. */
    public Wheel requires(String requirement) {
        requires.add(requirement);
        return this;
    }

    /** A console script: {@code gunicorn} runs {@code gunicorn.app:run}. */
    public Wheel script(String command, String function) {
        scripts.put(command, function);
        return this;
    }

    /** The project name as PEP 503 normalizes it: {@code Foo_Bar} is {@code foo-bar}. */
    public String project() {
        return name.toLowerCase().replaceAll("[-_.]+", "-");
    }

    public String fileName() {
        return name.replaceAll("[-_.]+", "_") + "-" + version + "-py3-none-any.whl";
    }

    /** The wheel's bytes. */
    public byte[] bytes() {
        String distInfo = name.replaceAll("[-_.]+", "_") + "-" + version + ".dist-info/";
        Map<String, String> all = new LinkedHashMap<>(files);
        StringBuilder metadata = new StringBuilder("Metadata-Version: 2.1\nName: " + name + "\nVersion: " + version
                + "\n");
        requires.forEach(requirement -> metadata.append("Requires-Dist: ").append(requirement).append('\n'));
        all.put(distInfo + "METADATA", metadata.toString());
        all.put(distInfo + "WHEEL", "Wheel-Version: 1.0\nGenerator: slipway-tests\nRoot-Is-Purelib: true\n"
                + "Tag: py3-none-any\n");
        if (!scripts.isEmpty()) {
            StringBuilder entryPoints = new StringBuilder("[console_scripts]\n");
            scripts.forEach((command, function) -> entryPoints.append(command).append(" = ").append(function)
                    .append('\n'));
            all.put(distInfo + "entry_points.txt", entryPoints.toString());
        }
        StringBuilder record = new StringBuilder();
        ByteArrayOutputStream zip = new ByteArrayOutputStream();
        try (ZipOutputStream out = new ZipOutputStream(zip)) {
            for (Map.Entry<String, String> file : all.entrySet()) {
                byte[] content = file.getValue().getBytes(StandardCharsets.UTF_8);
                out.putNextEntry(entry(file.getKey()));
                out.write(content);
                out.closeEntry();
                record.append(file.getKey()).append(",sha256=").append(Base64.getUrlEncoder().withoutPadding()
                        .encodeToString(sha256(content))).append(',').append(content.length).append('\n');
            }
            record.append(distInfo).append("RECORD,,\n");
            out.putNextEntry(entry(distInfo + "RECORD"));
            out.write(record.toString().getBytes(StandardCharsets.UTF_8));
            out.closeEntry();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return zip.toByteArray();
    }

    /** Dated alike, so that the same wheel is the same bytes (the index publishes their hash). */
    private static ZipEntry entry(String path) {
        ZipEntry entry = new ZipEntry(path);
        entry.setTime(FIXED_TIME);
        return entry;
    }

    static byte[] sha256(byte[] content) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(content);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
