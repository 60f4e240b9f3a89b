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
 * <p>Format: one {@code name: command} per line; names are {@code [a-z][a-z0-9_-]{0,29}} (they
 * become parts of task names, environment values and stored records), at most {@value #MAX_TYPES}
 * of them, commands at most {@value #MAX_COMMAND_LENGTH} characters; everything
 * after the first colon is the command (spaces around it trimmed, further colons and {@code #}
 * kept: the shell sees them). Blank lines and lines starting with {@code #} are skipped; a UTF-8
 * byte order mark and CRLF line ends are accepted.
 *
 * @param processTypes process type name to command; at least one
 */
public record Procfile(Map<String, String> processTypes) {
    public static final String FILE_NAME = "Procfile";
    static final int MAX_BYTES = 64 * 1024;
    public static final int MAX_TYPES = 50;
    public static final int MAX_COMMAND_LENGTH = 4096;
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_-]{0,29}");
    private static final String NAME_RULE = "a lowercase letter then at most 29 lowercase letters, digits, '-' or '_'";

    public Procfile {
        Objects.requireNonNull(processTypes, "processTypes");
        if (processTypes.isEmpty()) {
            throw new IllegalArgumentException("a Procfile defines at least one process type");
        }
        if (processTypes.size() > MAX_TYPES) {
            throw new IllegalArgumentException(processTypes.size() + " process types: at most " + MAX_TYPES);
        }
        processTypes.forEach((name, command) -> {
            if (name == null || !NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("process type '" + abbreviate(String.valueOf(name))
                        + "' is not a valid name: " + NAME_RULE);
            }
            if (command == null || command.isBlank()) {
                throw new IllegalArgumentException("process type " + name + " has no command");
            }
            if (command.length() > MAX_COMMAND_LENGTH) {
                throw new IllegalArgumentException("the command of process type " + name + " is longer than "
                        + MAX_COMMAND_LENGTH + " characters");
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
                throw new InvalidSource("Procfile line " + number + " is not `name: command` with a name of "
                        + NAME_RULE + ": " + abbreviate(line));
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
            if (command.length() > MAX_COMMAND_LENGTH) {
                throw new InvalidSource("Procfile line " + number + ": the command of process type '" + name
                        + "' is longer than " + MAX_COMMAND_LENGTH + " characters");
            }
            types.put(name, command);
            if (types.size() > MAX_TYPES) {
                throw new InvalidSource("Procfile line " + number + ": more than " + MAX_TYPES + " process types");
            }
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
