package dev.slipway.slug;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The paths a {@code .slugignore} keeps out of the slug. A simplified {@code .gitignore}:
 * <ul>
 *   <li>one pattern per line; blank lines and lines starting with {@code #} are skipped; spaces
 *       around a pattern are trimmed;</li>
 *   <li>{@code *} matches any run of characters but {@code /}, {@code ?} one character but
 *       {@code /}; every other character is literal ({@code **} is just two stars, and
 *       {@code [abc]} classes and {@code \} escapes are not supported);</li>
 *   <li>a pattern without a {@code /} (other than a trailing one) matches a file or directory
 *       name at any depth: {@code *.log}, {@code tmp};</li>
 *   <li>a pattern with a leading or inner {@code /} is anchored to the app root and matches the
 *       whole path: {@code /spec}, {@code doc/internal};</li>
 *   <li>a trailing {@code /} matches directories only: {@code cache/};</li>
 *   <li>a matched directory is left out with everything under it;</li>
 *   <li>negation ({@code !pattern}) is not supported, as on Heroku: such lines are skipped with
 *       a warning.</li>
 * </ul>
 */
final class SlugIgnore {
    static final String FILE_NAME = ".slugignore";
    private static final int MAX_BYTES = 64 * 1024;

    private record Rule(Pattern pattern, boolean anchored, boolean directoriesOnly) {
    }

    private final List<Rule> rules;
    private final List<String> warnings;

    private SlugIgnore(List<Rule> rules, List<String> warnings) {
        this.rules = List.copyOf(rules);
        this.warnings = List.copyOf(warnings);
    }

    static SlugIgnore none() {
        return new SlugIgnore(List.of(), List.of());
    }

    /**
     * Reads a .slugignore (UTF-8, at most 64 KB).
     *
     * @throws InvalidSource if it is too large or not UTF-8
     */
    static SlugIgnore read(Path file) {
        try {
            if (Files.size(file) > MAX_BYTES) {
                throw new InvalidSource(FILE_NAME + " is larger than " + ByteSize.format(MAX_BYTES));
            }
            return parse(Files.readString(file, StandardCharsets.UTF_8));
        } catch (MalformedInputException e) {
            throw new InvalidSource(FILE_NAME + " is not UTF-8 text", e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    static SlugIgnore parse(String text) {
        List<Rule> rules = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        String[] lines = text.split("\r?\n|\r", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = (i == 0 && lines[i].startsWith("\uFEFF") ? lines[i].substring(1) : lines[i]).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            if (line.startsWith("!")) {
                warnings.add(".slugignore line " + (i + 1) + ": negated patterns are not supported, skipped: " + line);
                continue;
            }
            boolean directoriesOnly = line.endsWith("/");
            String pattern = line.replaceAll("/+$", "");
            boolean anchored = pattern.contains("/");
            pattern = pattern.replaceAll("^/+", "");
            if (pattern.isEmpty()) {
                warnings.add(".slugignore line " + (i + 1) + ": the pattern matches the whole app, skipped: " + line);
                continue;
            }
            rules.add(new Rule(Pattern.compile(globToRegex(pattern)), anchored, directoriesOnly));
        }
        return new SlugIgnore(rules, warnings);
    }

    /**
     * Whether a path is left out.
     *
     * @param relativePath the path from the app root, {@code /}-separated, no leading {@code ./}
     * @param directory    whether it is a directory (a symlink is not)
     */
    boolean excludes(String relativePath, boolean directory) {
        String name = relativePath.substring(relativePath.lastIndexOf('/') + 1);
        for (Rule rule : rules) {
            if (rule.directoriesOnly() && !directory) {
                continue;
            }
            if (rule.pattern().matcher(rule.anchored() ? relativePath : name).matches()) {
                return true;
            }
        }
        return false;
    }

    /** Lines that were skipped, with why; for the build output. */
    List<String> warnings() {
        return warnings;
    }

    int size() {
        return rules.size();
    }

    private static String globToRegex(String glob) {
        StringBuilder regex = new StringBuilder();
        StringBuilder literal = new StringBuilder();
        for (char c : glob.toCharArray()) {
            if (c == '*' || c == '?') {
                if (!literal.isEmpty()) {
                    regex.append(Pattern.quote(literal.toString()));
                    literal.setLength(0);
                }
                regex.append(c == '*' ? "[^/]*" : "[^/]");
            } else {
                literal.append(c);
            }
        }
        if (!literal.isEmpty()) {
            regex.append(Pattern.quote(literal.toString()));
        }
        return regex.toString();
    }
}
