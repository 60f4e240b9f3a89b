package dev.slipway.mesoslocal.fetcher;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/** Unpacks the archive types Mesos's fetcher knows, by file name, as the fetcher does. */
final class Archives {
    private static final List<String> TAR_SUFFIXES =
            List.of(".tar", ".tgz", ".tar.gz", ".tbz2", ".tar.bz2", ".txz", ".tar.xz");

    private Archives() {
    }

    /** Whether the name says this is an archive the fetcher extracts. */
    static boolean isArchive(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        return TAR_SUFFIXES.stream().anyMatch(name::endsWith) || name.endsWith(".gz") || name.endsWith(".zip");
    }

    /** Extracts {@code archive} into {@code directory}; the archive itself stays where it is. */
    static void extract(Path archive, Path directory) throws IOException, InterruptedException {
        String name = archive.getFileName().toString().toLowerCase(Locale.ROOT);
        if (TAR_SUFFIXES.stream().anyMatch(name::endsWith)) {
            run(List.of("tar", "-C", directory.toString(), "-xf", archive.toString()));
        } else if (name.endsWith(".gz")) {
            String plain = archive.getFileName().toString();
            Path target = directory.resolve(plain.substring(0, plain.length() - 3));
            try (InputStream in = new GZIPInputStream(Files.newInputStream(archive))) {
                Files.copy(in, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        } else if (name.endsWith(".zip")) {
            unzip(archive, directory);
        } else {
            throw new IOException("'" + archive.getFileName() + "' is not an archive");
        }
    }

    private static void unzip(Path archive, Path directory) throws IOException, InterruptedException {
        if (onPath("unzip")) {
            // Like Mesos; unzip also restores the entries' permission bits.
            run(List.of("unzip", "-o", "-q", "-d", directory.toString(), archive.toString()));
            return;
        }
        Path root = directory.toAbsolutePath().normalize();
        try (ZipInputStream zip = new ZipInputStream(Files.newInputStream(archive))) {
            for (ZipEntry entry = zip.getNextEntry(); entry != null; entry = zip.getNextEntry()) {
                Path target = root.resolve(entry.getName()).normalize();
                if (!target.startsWith(root)) {
                    throw new IOException("zip entry '" + entry.getName() + "' would land outside the sandbox");
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(target);
                } else {
                    Files.createDirectories(target.getParent());
                    try (OutputStream out = Files.newOutputStream(target)) {
                        zip.transferTo(out);
                    }
                }
            }
        }
    }

    private static boolean onPath(String command) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String dir : path.split(java.io.File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, command))) {
                return true;
            }
        }
        return false;
    }

    private static void run(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] output;
        try (InputStream in = process.getInputStream()) {
            output = in.readNBytes(8 * 1024);
            in.transferTo(OutputStream.nullOutputStream());
        }
        int exit = process.waitFor();
        if (exit != 0) {
            throw new IOException(command.get(0) + " exited with status " + exit + ": "
                    + new String(output, StandardCharsets.UTF_8).strip());
        }
    }
}
