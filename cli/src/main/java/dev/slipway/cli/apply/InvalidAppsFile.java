package dev.slipway.cli.apply;

import java.util.List;

/**
 * An apps file refused before anything was applied: each problem names its field by its path in
 * the file ({@code apps[3].formaton: unknown key}).
 */
public final class InvalidAppsFile extends RuntimeException {
    private final List<String> problems;

    public InvalidAppsFile(String file, List<String> problems) {
        super(file + " is not a valid apps file, nothing was applied:\n  " + String.join("\n  ", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
