package dev.slipway.cli.apply;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.slipway.zk.ConfigVars;
import dev.slipway.zk.ProcessTypes;
import dev.slipway.zk.Size;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads an apps file strictly: every key known, every value checked by the server's own rules,
 * every problem named by its path ({@code apps[3].formaton: unknown key}); all of them are told at
 * once, in an {@link InvalidAppsFile}, before anything is applied. Pure but for reading the file
 * and checking that each {@code source} is a directory.
 */
public final class AppsFileParser {
    /** App names as the API takes them (Heroku's rule: they become hostnames). */
    static final Pattern APP_NAME = Pattern.compile("[a-z]([a-z0-9-]*[a-z0-9])?");
    static final int MAX_APP_NAME = 30;
    static final Pattern TEAM_NAME = Pattern.compile("[a-z][a-z0-9-]{0,29}");
    /** {@code v3}, {@code 3}, or a slug's id (hex digest). */
    static final Pattern RELEASE = Pattern.compile("v?[1-9][0-9]{0,8}|[0-9a-f]{12,64}");
    static final Pattern HOSTNAME = Pattern.compile(
            "(?=.{1,253}$)(\\*\\.)?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)+");
    static final Set<String> OPERATORS = Set.of("UNIQUE", "CLUSTER", "GROUP_BY", "LIKE", "UNLIKE", "MAX_PER");
    static final int MAX_CONSTRAINTS = 10;
    static final int MAX_APPS = 500;
    private static final Set<String> TOP_KEYS = Set.of("version", "apps");
    private static final Set<String> APP_KEYS = Set.of("name", "source", "release", "formation", "sizes", "config",
            "constraints", "domains", "depends_on", "team");

    private final List<String> problems = new ArrayList<>();
    private final Path folder;

    private AppsFileParser(Path folder) {
        this.folder = folder;
    }

    /** The file, read and checked whole. */
    public static AppsFile read(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new InvalidAppsFile(file.toString(), List.of("cannot be read: " + e.getMessage()));
        }
        Path folder = file.toAbsolutePath().normalize().getParent();
        return parse(file, text, folder);
    }

    /** {@code text} as the apps file {@code file}, its sources resolved against {@code folder}. */
    public static AppsFile parse(Path file, String text, Path folder) {
        AppsFileParser parser = new AppsFileParser(folder);
        AppsFile parsed = parser.file(file, text);
        if (!parser.problems.isEmpty()) {
            throw new InvalidAppsFile(file.toString(), parser.problems);
        }
        return parsed;
    }

    private AppsFile file(Path file, String text) {
        JsonNode root;
        try {
            YAMLMapper yaml = YAMLMapper.builder().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION).build();
            root = yaml.readTree(text);
        } catch (JsonProcessingException e) {
            problems.add("not YAML: " + e.getOriginalMessage().lines().findFirst().orElse("")
                    + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ")"));
            return null;
        }
        if (root == null || !root.isObject()) {
            problems.add("the file must be a mapping with `version: 1` and `apps:`");
            return null;
        }
        unknownKeys(root, TOP_KEYS, "");
        JsonNode version = root.get("version");
        if (version == null) {
            problems.add("version: missing: start the file with `version: " + AppsFile.VERSION + "`");
        } else if (!version.isInt() || version.asInt() != AppsFile.VERSION) {
            problems.add("version: must be " + AppsFile.VERSION + ", not " + version);
        }
        JsonNode apps = root.get("apps");
        List<AppSpec> specs = new ArrayList<>();
        if (apps == null || !apps.isArray() || apps.isEmpty()) {
            problems.add("apps: must be a list of at least one app");
            return new AppsFile(file, AppsFile.VERSION, specs);
        }
        if (apps.size() > MAX_APPS) {
            problems.add("apps: at most " + MAX_APPS + " apps in one file, not " + apps.size());
        }
        Map<String, String> seen = new LinkedHashMap<>();
        for (int i = 0; i < apps.size(); i++) {
            String path = "apps[" + i + "]";
            AppSpec spec = app(apps.get(i), path);
            if (spec == null) {
                continue;
            }
            String first = seen.putIfAbsent(spec.name(), path);
            if (first != null) {
                problems.add(path + ".name: '" + spec.name() + "' is declared twice (also " + first + ")");
                continue;
            }
            specs.add(spec);
        }
        if (problems.isEmpty()) {
            problems.addAll(DependencyOrder.problems(specs));
        }
        return new AppsFile(file, AppsFile.VERSION, specs);
    }

    private AppSpec app(JsonNode node, String path) {
        if (!node.isObject()) {
            problems.add(path + ": must be a mapping with at least `name:`");
            return null;
        }
        unknownKeys(node, APP_KEYS, path + ".");
        String name = text(node.get("name"), path + ".name");
        if (name == null) {
            if (!node.has("name")) {
                problems.add(path + ".name: missing");
            }
            return null;
        }
        if (name.length() > MAX_APP_NAME || !APP_NAME.matcher(name).matches()) {
            problems.add(path + ".name: '" + name + "' is not a valid app name: 1-" + MAX_APP_NAME + " lowercase "
                    + "letters, digits and dashes, starting with a letter and ending with a letter or digit");
        }
        Path source = source(node.get("source"), path + ".source");
        String release = text(node.get("release"), path + ".release");
        if (release != null && !RELEASE.matcher(release).matches()) {
            problems.add(path + ".release: '" + release + "' is neither a release (v3) nor a slug id");
            release = null;
        }
        if (node.hasNonNull("source") && node.hasNonNull("release")) {
            problems.add(path + ": give source or release, not both");
        }
        String team = text(node.get("team"), path + ".team");
        if (team != null && !TEAM_NAME.matcher(team).matches()) {
            problems.add(path + ".team: '" + team + "' is not a valid team name");
        }
        return new AppSpec(name, source, release, formation(node.get("formation"), path + ".formation"),
                sizes(node.get("sizes"), path + ".sizes"), config(node.get("config"), path + ".config"),
                constraints(node.get("constraints"), path + ".constraints"),
                domains(node.get("domains"), path + ".domains"), dependsOn(node.get("depends_on"),
                path + ".depends_on", name), team);
    }

    private Path source(JsonNode node, String path) {
        String text = text(node, path);
        if (text == null) {
            return null;
        }
        Path dir = folder.resolve(text).normalize();
        if (!Files.isDirectory(dir)) {
            problems.add(path + ": " + text + " is not a directory (" + dir + ")");
        }
        return dir;
    }

    private Map<String, Integer> formation(JsonNode node, String path) {
        Map<String, JsonNode> entries = mapping(node, path);
        if (entries == null) {
            return null;
        }
        Map<String, Integer> formation = new LinkedHashMap<>();
        entries.forEach((type, value) -> {
            if (processType(type, path)) {
                if (!value.isInt() || value.asInt() < 0 || value.asInt() > ProcessTypes.MAX_QUANTITY) {
                    problems.add(path + "." + type + ": the quantity must be a whole number from 0 to "
                            + ProcessTypes.MAX_QUANTITY + ", not " + value);
                } else {
                    formation.put(type, value.asInt());
                }
            }
        });
        return formation;
    }

    private Map<String, String> sizes(JsonNode node, String path) {
        Map<String, JsonNode> entries = mapping(node, path);
        if (entries == null) {
            return null;
        }
        Map<String, String> sizes = new LinkedHashMap<>();
        entries.forEach((type, value) -> {
            if (processType(type, path)) {
                String size = text(value, path + "." + type);
                if (size != null && !size.matches(Size.NAME_RULE)) {
                    problems.add(path + "." + type + ": '" + size + "' is not a size name (small, medium, large, "
                            + "xlarge, 2xlarge, or one the framework defines)");
                } else if (size != null) {
                    sizes.put(type, size);
                }
            }
        });
        return sizes;
    }

    private Map<String, String> config(JsonNode node, String path) {
        Map<String, JsonNode> entries = mapping(node, path);
        if (entries == null) {
            return null;
        }
        Map<String, String> config = new LinkedHashMap<>();
        Map<String, String> set = new LinkedHashMap<>();
        entries.forEach((name, value) -> {
            String nameProblem = ConfigVars.nameProblem(name);
            if (nameProblem != null) {
                problems.add(path + "." + shown(name) + ": " + nameProblem);
                return;
            }
            if (value.isNull()) {
                config.put(name, null);
            } else if (value.isTextual() || value.isIntegralNumber() || value.isBoolean()) {
                config.put(name, value.asText());
                set.put(name, value.asText());
            } else {
                // Never the value itself: it may be a secret.
                problems.add(path + "." + name + ": must be a string (quote it), a whole number, true, false, or "
                        + "null to unset it");
            }
        });
        String problem = ConfigVars.problem(set);
        if (problem != null) {
            problems.add(path + ": " + problem);
        }
        return config;
    }

    private Map<String, List<String>> constraints(JsonNode node, String path) {
        Map<String, JsonNode> entries = mapping(node, path);
        if (entries == null) {
            return null;
        }
        Map<String, List<String>> constraints = new LinkedHashMap<>();
        entries.forEach((type, value) -> {
            if (!processType(type, path)) {
                return;
            }
            String at = path + "." + type;
            if (!value.isArray()) {
                problems.add(at + ": must be a list of constraints, e.g. [\"hostname:UNIQUE\"] ([] removes them)");
                return;
            }
            if (value.size() > MAX_CONSTRAINTS) {
                problems.add(at + ": at most " + MAX_CONSTRAINTS + " constraints, not " + value.size());
            }
            List<String> list = new ArrayList<>();
            for (int i = 0; i < value.size(); i++) {
                String constraint = constraint(value.get(i), at + "[" + i + "]");
                if (constraint != null) {
                    list.add(constraint);
                }
            }
            constraints.put(type, list);
        });
        return constraints;
    }

    /** Marathon's colon form, or its array form ({@code [field, OPERATOR, value]}), as the colon form. */
    private String constraint(JsonNode node, String path) {
        List<String> parts = new ArrayList<>();
        if (node.isTextual()) {
            parts.addAll(List.of(node.asText().split(":", 3)));
        } else if (node.isArray()) {
            node.forEach(part -> parts.add(part.asText()));
        } else {
            problems.add(path + ": must be FIELD:OPERATOR[:VALUE], e.g. hostname:UNIQUE");
            return null;
        }
        if (parts.size() < 2 || parts.size() > 3 || parts.get(0).isBlank()) {
            problems.add(path + ": '" + String.join(":", parts) + "' is not FIELD:OPERATOR[:VALUE], e.g. hostname:UNIQUE");
            return null;
        }
        if (!OPERATORS.contains(parts.get(1))) {
            problems.add(path + ": unknown operator '" + parts.get(1) + "'; known are UNIQUE, CLUSTER, GROUP_BY, LIKE, "
                    + "UNLIKE, MAX_PER");
            return null;
        }
        return String.join(":", parts);
    }

    private List<String> domains(JsonNode node, String path) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isArray()) {
            problems.add(path + ": must be a list of hostnames, e.g. [www.example.com]");
            return null;
        }
        List<String> domains = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            String host = text(node.get(i), path + "[" + i + "]");
            if (host == null) {
                continue;
            }
            if (!HOSTNAME.matcher(host).matches()) {
                problems.add(path + "[" + i + "]: '" + host + "' is not a hostname (lowercase, with a dot: "
                        + "www.example.com, or a wildcard: *.example.com)");
            } else if (domains.contains(host)) {
                problems.add(path + "[" + i + "]: '" + host + "' is listed twice");
            } else {
                domains.add(host);
            }
        }
        return domains;
    }

    private List<String> dependsOn(JsonNode node, String path, String self) {
        if (node == null || node.isNull()) {
            return List.of();
        }
        if (!node.isArray()) {
            problems.add(path + ": must be a list of app names of this file");
            return List.of();
        }
        List<String> names = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            String name = text(node.get(i), path + "[" + i + "]");
            if (name == null) {
                continue;
            }
            if (name.equals(self)) {
                problems.add(path + "[" + i + "]: an app cannot depend on itself");
            } else if (!names.contains(name)) {
                names.add(name);
            }
        }
        return names;
    }

    private boolean processType(String type, String path) {
        if (!ProcessTypes.isName(type)) {
            problems.add(path + "." + shown(type) + ": not a process type name (" + ProcessTypes.NAME_RULE
                    + ", as in a Procfile)");
            return false;
        }
        return true;
    }

    /** The entries of a mapping, in order; null (and a problem unless it is absent) otherwise. */
    private Map<String, JsonNode> mapping(JsonNode node, String path) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isObject()) {
            problems.add(path + ": must be a mapping");
            return null;
        }
        Map<String, JsonNode> entries = new LinkedHashMap<>();
        node.fields().forEachRemaining(e -> entries.put(e.getKey(), e.getValue()));
        return entries;
    }

    private String text(JsonNode node, String path) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual() && !node.isNumber()) {
            problems.add(path + ": must be a string");
            return null;
        }
        String text = node.asText().strip();
        if (text.isEmpty()) {
            problems.add(path + ": may not be empty");
            return null;
        }
        return text;
    }

    private void unknownKeys(JsonNode node, Set<String> known, String prefix) {
        Set<String> reported = new HashSet<>();
        for (Iterator<String> keys = node.fieldNames(); keys.hasNext(); ) {
            String key = keys.next();
            if (!known.contains(key) && reported.add(key)) {
                problems.add(prefix + shown(key) + ": unknown key (known: " + String.join(", ",
                        known.stream().sorted().toList()) + ")");
            }
        }
    }

    private static String shown(String key) {
        return key.length() > 64 ? key.substring(0, 64) + "..." : key;
    }
}
