package dev.slipway.slug;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The process types an app declares in its Procfile, in the file's order.
 *
 * <p>Format: one {@code name: command} per line; names are {@code [A-Za-z0-9_-]+}; everything
 * after the first colon is the command (spaces around it trimmed, further colons and {@code #}
 * kept: the shell sees them). Blank lines and lines starting with {@code #} are skipped; a UTF-8
 * byte order mark and CRLF line ends are accepted.
 *
 * @param processTypes process type name to command; at least one
 */
public record Procfile(Map<String, String> processTypes) {
    public static final String FILE_NAME = "Procfile";
    static final int MAX_BYTES = 64 * 1024;
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]+");

    public Procfile {
        Objects.requireNonNull(processTypes, "processTypes");
        if (processTypes.isEmpty()) {
            throw new IllegalArgumentException("a Procfile defines at least one process type");
        }
        processTypes.forEach((name, command) -> {
            if (name == null || !NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("process type names are [A-Za-z0-9_-]+: " + name);
            }
            if (command == null || command.isBlank()) {
                throw new IllegalArgumentException("process type " + name + " has no command");
            }
        });
        processTypes = Collections.unmodifiableMap(new LinkedHashMap<>(processTypes));
    }

    /**
     * Parses a Procfile's text.
     *
     * @throws InvalidSource naming the line of a malformed or duplicate entry, or if no process
     *                       type is defined
     */
    public static Procfile parse(String text) {
        Map<String, String> types = new LinkedHashMap<>();
        Map<String, Integer> lineOf = new HashMap<>();
        String[] lines = text.split("\r?\n|\r", -1);
        for (int i = 0; i < lines.length; i++) {
            int number = i + 1;
            String line = (i == 0 ? stripBom(lines[i]) : lines[i]).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int colon = line.indexOf(':');
            String name = colon < 0 ? "" : line.substring(0, colon).strip();
            if (!NAME.matcher(name).matches()) {
                throw new InvalidSource("Procfile line " + number + " is not `name: command` with a name of"
                        + " letters, digits, '-' or '_': " + abbreviate(line));
            }
            String command = line.substring(colon + 1).strip();
            if (command.isEmpty()) {
                throw new InvalidSource("Procfile line " + number + ": process type '" + name + "' has no command");
            }
            Integer first = lineOf.putIfAbsent(name, number);
            if (first != null) {
                throw new InvalidSource("Procfile line " + number + ": process type '" + name
                        + "' is already defined on line " + first);
            }
            types.put(name, command);
        }
        if (types.isEmpty()) {
            throw new InvalidSource("Procfile defines no process types");
        }
        return new Procfile(types);
    }

    /**
     * Reads and parses a Procfile (UTF-8, at most 64 KB).
     *
     * @throws InvalidSource        if it is too large, not UTF-8, or malformed
     * @throws UncheckedIOException if it cannot be read
     */
    public static Procfile read(Path file) {
        try {
            if (Files.size(file) > MAX_BYTES) {
                throw new InvalidSource("Procfile is larger than " + ByteSize.format(MAX_BYTES));
            }
            byte[] bytes = Files.readAllBytes(file);
            return parse(StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString());
        } catch (CharacterCodingException e) {
            throw new InvalidSource("Procfile is not UTF-8 text", e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    private static String stripBom(String line) {
        return line.startsWith("\uFEFF") ? line.substring(1) : line;
    }

    private static String abbreviate(String line) {
        return line.length() <= 80 ? line : line.substring(0, 77) + "...";
    }
}
