package dev.slipway.slug;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Refuses, before anything is released, a build whose process types run a program that is not
 * there: {@code web: gunicorn app.wsgi} with no gunicorn installed would crash at every start.
 *
 * <p>The first word of each command (after {@code NAME=value} assignments) is looked up in the
 * build's sandbox as the instance's shell will look it up: with {@code HOME} the build dir, its
 * {@code .profile.d/*.sh} and {@code .profile} sourced, the buildpacks' config vars set, and
 * {@code type} (a builtin, a keyword, a function, a file on {@code PATH}, or a path in the app;
 * {@code /app/...} means the app). Words the shell would expand ({@code $JAVA_HOME/bin/java},
 * quotes, globs) are not judged, nor is anything when the check itself cannot finish.
 */
final class ProcessCommands {
    /** A word the shell takes as it is: no expansion, quoting or redirection in it. */
    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_./+-][A-Za-z0-9_./+:@%,-]*");
    private static final Pattern ASSIGNMENT = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*=\\S*");
    private static final String APP = "/app/";
    /** The script's last line: without it, it did not finish (a .profile.d script exited). */
    private static final String DONE = "slipway-commands-checked";
    private static final String SCRIPT = """
            cd "$1" || exit 0
            export HOME="$1"
            shift
            for f in "$HOME"/.profile.d/*.sh; do [ -r "$f" ] && . "$f" >/dev/null 2>&1; done
            [ -r "$HOME/.profile" ] && . "$HOME/.profile" >/dev/null 2>&1
            for w in "$@"; do type -t -- "$w" >/dev/null 2>&1 || printf 'missing %s\\n' "$w"; done
            echo slipway-commands-checked
            """;

    private ProcessCommands() {
    }

    /**
     * @param processTypes the release's process types
     * @param defaults     the buildpacks' default process types (to say where a command came from)
     * @param configVars   the buildpacks' config vars, set as at run time
     * @throws BuildFailed naming each process type whose program is missing, and what to do
     */
    static void check(BuildSandbox.Session session, Path build, Map<String, String> processTypes,
                      Map<String, String> defaults, Map<String, String> configVars) {
        String home = session.path(build);
        Map<String, String> programs = new LinkedHashMap<>();
        processTypes.forEach((type, command) -> program(command).ifPresent(word -> programs.put(type,
                word.startsWith(APP) ? home + "/" + word.substring(APP.length()) : word)));
        if (programs.isEmpty()) {
            return;
        }
        List<String> command = new ArrayList<>(List.of("env"));
        configVars.forEach((name, value) -> command.add(name + "=" + value));
        command.addAll(List.of("bash", "-c", SCRIPT, "check", home));
        command.addAll(programs.values().stream().distinct().toList());
        List<String> lines = new ArrayList<>();
        try {
            session.run(command, build, lines::add, line -> { });
        } catch (IOException e) {
            return; // the build itself ran; a check that cannot start proves nothing
        }
        if (!lines.contains(DONE)) {
            return;
        }
        List<String> missing = lines.stream().filter(line -> line.startsWith("missing ")).map(line -> line.substring(8))
                .toList();
        List<String> reasons = new ArrayList<>();
        programs.forEach((type, word) -> {
            if (missing.contains(word)) {
                String origin = processTypes.get(type).equals(defaults.get(type))
                        ? "the buildpacks' default process '" + type + "'" : "Procfile process '" + type + "'";
                reasons.add(origin + " runs '" + shown(word, home) + "', which " + remedy(word, build));
            }
        });
        if (!reasons.isEmpty()) {
            throw new BuildFailed(String.join("; ", reasons));
        }
    }

    /** The program a command runs, when the shell would take its name as written. */
    static Optional<String> program(String command) {
        for (String word : command.strip().split("\\s+")) {
            if (ASSIGNMENT.matcher(word).matches()) {
                continue;
            }
            return PLAIN.matcher(word).matches() ? Optional.of(word) : Optional.empty();
        }
        return Optional.empty();
    }

    private static String shown(String word, String home) {
        return word.startsWith(home + "/") ? APP + word.substring(home.length() + 1) : word;
    }

    private static String remedy(String word, Path build) {
        if (word.contains("/")) {
            return "is not an executable file in the app: fix the path, or `chmod +x` it";
        }
        String where = Files.isRegularFile(build.resolve("requirements.txt")) ? "requirements.txt"
                : Files.isRegularFile(build.resolve("Pipfile")) ? "the Pipfile"
                : Files.isRegularFile(build.resolve("pyproject.toml")) ? "the dependencies in pyproject.toml"
                : Files.isRegularFile(build.resolve("package.json")) ? "the dependencies in package.json"
                : null;
        return where == null ? "is not installed: install it with a buildpack, or fix the Procfile"
                : "is not installed: add it to " + where;
    }
}
