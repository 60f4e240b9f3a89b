package dev.slipway.slug;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds an app with Heroku buildpack API v2 buildpacks, in a {@link BuildSandbox}: a container
 * of the stack image where a Docker engine is available, else processes on this machine.
 *
 * <p>The buildpacks ({@link BuildpackReference}s: built-in names, directories, tarball or git
 * URLs, fetched afresh for each build) are, in order of precedence: the app's list in the
 * request, the list given to this compiler, the lines of a {@code .buildpacks} file at the app's
 * root ({@code #} comments; directories may be relative to the app root), or the first built-in whose {@code bin/detect}
 * accepts the app, tried in {@link #DETECTION_ORDER}. Built-ins live in
 * {@code <buildpacksDir>/<name>/}. For each buildpack, in order:
 * <ol>
 *   <li>{@code bin/detect BUILD_DIR}: must exit 0; the first line it prints names the app kind,
 *       shown as {@code -----> <kind> app detected};</li>
 *   <li>{@code bin/compile BUILD_DIR CACHE_DIR ENV_DIR}, its output streamed line by line as it
 *       comes; CACHE_DIR is {@code <dataDir>/cache/<app>/} and kept between builds; ENV_DIR holds one
 *       file per config var, readable only by this user, and is removed after the build;</li>
 *   <li>{@code bin/release BUILD_DIR}: YAML whose {@code default_process_types} and
 *       {@code config_vars} are merged, later buildpacks winning;</li>
 *   <li>its {@code export} file, when {@code bin/compile} wrote one into the buildpack's own
 *       directory, is sourced before each later buildpack's {@code bin/compile} (as
 *       heroku-buildpack-multi does). Buildpacks run from copies made for the build, so they may
 *       write there.</li>
 * </ol>
 * Paths {@code .slugignore} lists are removed before compiling, as on Heroku. The process types
 * are the buildpacks' defaults overridden by the app's Procfile; the build dir is then packed into
 * the {@link SlugStore}.
 *
 * <p>Fails with {@link BuildFailed}, storing nothing, when no buildpack detects the app, a
 * buildpack exits non-zero ({@code buildpack <name> failed: bin/compile exited N}), the whole
 * build passes its time limit (the step's process tree is killed), {@code bin/release} prints
 * malformed YAML, there is no process type at all, a process type runs a program that is not
 * there ({@link ProcessCommands}), the Procfile or .slugignore is malformed, or the slug is over
 * the size limit. Blocking; builds of different apps may run at once, builds of
 * one app must not (they share its cache).
 */
public final class BuildpackCompiler implements SlugCompiler {
    /** The order auto-detection tries the built-ins in; those not installed are skipped. */
    public static final List<String> DETECTION_ORDER = List.of("nodejs", "java-maven", "python", "static",
            "procfile");
    public static final Duration DEFAULT_TIME_LIMIT = Duration.ofMinutes(15);
    static final String BUILDPACKS_FILE = ".buildpacks";
    /**
     * Runs each {@code bin/detect} given after the build dir, in order, until one exits 0; prints
     * {@link #DETECTED} and that one's index (from 0), then what it printed. The output of those
     * that refused is dropped, so the first line is always this script's.
     */
    static final String DETECT_FIRST = "build=$1; shift; i=0; for detect in \"$@\"; do "
            + "if out=$(\"$detect\" \"$build\" 2>/dev/null); then "
            + "printf 'slipway-detected %s\\n%s\\n' \"$i\" \"$out\"; exit 0; fi; i=$((i + 1)); done; exit 1";
    static final String DETECTED = "slipway-detected ";
    /** What a buildpack leaves in its own directory for the buildpacks after it to source. */
    static final String EXPORT_FILE = "export";
    private static final Logger log = LoggerFactory.getLogger(BuildpackCompiler.class);

    private record Detected(Buildpack buildpack, String kind) {
    }

    private final SlugStore store;
    private final Path cacheRoot;
    private final Path tmpRoot;
    private final Path buildpacksDir;
    private final List<String> buildpacks;
    private final Duration timeLimit;
    private final long maxSlugBytes;
    private final BuildSandbox sandbox;

    /** Builds on this machine; auto-detection (or the app's own list), a 15-minute limit, slugs up to 500 MB. */
    public BuildpackCompiler(SlugStore store, Path dataDir, Path buildpacksDir) {
        this(store, dataDir, buildpacksDir, new HostSandbox());
    }

    /** Builds in {@code sandbox}; auto-detection (or the app's own list), 15 minutes, slugs up to 500 MB. */
    public BuildpackCompiler(SlugStore store, Path dataDir, Path buildpacksDir, BuildSandbox sandbox) {
        this(store, dataDir, buildpacksDir, List.of(), DEFAULT_TIME_LIMIT, ProcfileCompiler.DEFAULT_MAX_SLUG_BYTES,
                sandbox);
    }

    /**
     * @param dataDir    holds {@code cache/<app>/} and the builds' temporary ENV_DIRs
     * @param buildpacks buildpacks to run, in order, instead of detection; empty to detect
     * @param timeLimit  for the whole build, all steps together
     * @param sandbox    where the steps run
     */
    public BuildpackCompiler(SlugStore store, Path dataDir, Path buildpacksDir, List<String> buildpacks,
                             Duration timeLimit, long maxSlugBytes, BuildSandbox sandbox) {
        this.sandbox = Objects.requireNonNull(sandbox, "sandbox");
        this.store = Objects.requireNonNull(store, "store");
        this.cacheRoot = dataDir.resolve("cache");
        this.tmpRoot = dataDir.resolve("tmp");
        this.buildpacksDir = Objects.requireNonNull(buildpacksDir, "buildpacksDir");
        this.buildpacks = List.copyOf(buildpacks);
        this.timeLimit = Objects.requireNonNull(timeLimit, "timeLimit");
        if (timeLimit.isNegative() || timeLimit.isZero()) {
            throw new IllegalArgumentException("timeLimit must be positive");
        }
        if (maxSlugBytes < 1) {
            throw new IllegalArgumentException("maxSlugBytes must be positive");
        }
        this.maxSlugBytes = maxSlugBytes;
    }

    @Override
    public CompiledSlug compile(BuildRequest request) {
        Path build = request.sourceDir().toAbsolutePath().normalize();
        Consumer<String> output = request.output();
        long deadline = System.nanoTime() + timeLimit.toNanos();
        removeIgnored(build, output);
        List<BuildpackReference> references = references(request, build, output);
        Path cache = cacheDir(request.app());
        Path env = envDir(request.config());
        Path fetched = tempDir("fetch-");
        Map<String, String> defaultTypes = new LinkedHashMap<>();
        Map<String, String> configVars = new LinkedHashMap<>();
        List<Detected> chosen;
        Map<String, String> processTypes;
        try {
            List<Buildpack> candidates = writable(references.isEmpty() ? builtIns()
                    : resolve(references, build, new BuildpackFetcher(fetched), deadline, output), build, fetched);
            output.accept("-----> Building " + sandbox.description());
            Workspace workspace = new Workspace(request.app(), build, cache, env,
                    candidates.stream().map(Buildpack::dir).toList(), timeLimit, deadline);
            try (BuildSandbox.Session session = sandbox.open(workspace)) {
                chosen = references.isEmpty() ? List.of(autoDetect(candidates, build, session))
                        : detectEach(candidates, build, session);
                List<Path> exports = new ArrayList<>();
                for (Detected detected : chosen) {
                    output.accept("-----> " + detected.kind() + " app detected");
                    Buildpack buildpack = detected.buildpack();
                    int exit = run(session, buildpack, "compile", List.of(build, cache, env), build, output, null,
                            exports);
                    if (exit != 0) {
                        throw new BuildFailed("buildpack " + buildpack.name() + " failed: bin/compile exited " + exit);
                    }
                    BuildpackRelease release = release(session, buildpack, build, output);
                    defaultTypes.putAll(release.defaultProcessTypes());
                    configVars.putAll(release.configVars());
                    Path export = buildpack.dir().resolve(EXPORT_FILE);
                    if (Files.isRegularFile(export, LinkOption.NOFOLLOW_LINKS)) {
                        exports.add(export);
                    }
                }
                processTypes = processTypes(build, defaultTypes, output);
                ProcessCommands.check(session, build, processTypes, defaultTypes, configVars);
            }
        } finally {
            FileTree.delete(env);
            FileTree.delete(fetched);
        }
        Map<String, Map<String, Object>> healthChecks = AppJson.healthChecks(build, processTypes.keySet());
        if (!healthChecks.isEmpty()) {
            output.accept("       " + AppJson.FILE_NAME + " health checks -> " + String.join(", ", healthChecks.keySet()));
        }
        Slug slug = ProcfileCompiler.pack(store,
                new SlugPacker(build, SlugIgnore.none(), warning -> output.accept(" !     " + warning)), maxSlugBytes);
        output.accept("-----> Compressing... done, " + ByteSize.format(slug.size()));
        output.accept("-----> Launching... process types: " + String.join(", ", processTypes.keySet()));
        log.info("app {}: compiled slug {} ({} bytes) with buildpacks {}", request.app(), slug.digest(), slug.size(),
                chosen.stream().map(d -> d.buildpack().name()).toList());
        return new CompiledSlug(slug, processTypes, configVars, healthChecks);
    }

    /** The app's buildpacks, else its .buildpacks file's, else the compiler's; empty to detect. */
    private List<BuildpackReference> references(BuildRequest request, Path build, Consumer<String> output) {
        List<String> texts = request.buildpacks().isEmpty() ? buildpacks : request.buildpacks();
        if (texts.isEmpty()) {
            texts = buildpacksFile(build);
            if (!texts.isEmpty()) {
                output.accept("-----> Using buildpacks from " + BUILDPACKS_FILE + ": " + String.join(", ", texts));
            }
        }
        List<BuildpackReference> references = new ArrayList<>();
        for (String text : texts) {
            try {
                references.add(BuildpackReference.parse(text));
            } catch (IllegalArgumentException e) {
                throw new BuildFailed(e.getMessage(), e);
            }
        }
        return references;
    }

    private List<Buildpack> resolve(List<BuildpackReference> references, Path build, BuildpackFetcher fetcher,
                                    long deadline, Consumer<String> output) {
        List<Buildpack> resolved = new ArrayList<>();
        try (BuildSandbox.Session host = HostSandbox.session(timeLimit, deadline)) {
            for (BuildpackReference reference : references) {
                resolved.add(switch (reference.kind()) {
                    case BUILT_IN, DIRECTORY -> Buildpack.local(reference, buildpacksDir, build);
                    case TARBALL, GIT -> new Buildpack(reference.text(), fetcher.fetch(reference, host, output));
                });
            }
        }
        return resolved;
    }

    /**
     * The buildpacks, each in a directory of its own this build may write to (a buildpack writes
     * its {@code export} file there): those not fetched for this build nor inside the app are
     * copied under {@code scratch}, so that the originals (the built-ins, a user's directory) are
     * never changed.
     */
    private static List<Buildpack> writable(List<Buildpack> buildpacks, Path build, Path scratch) {
        List<Buildpack> copies = new ArrayList<>();
        int n = 0;
        for (Buildpack buildpack : buildpacks) {
            Path dir = buildpack.dir();
            if (dir.startsWith(scratch) || dir.startsWith(build)) {
                copies.add(buildpack);
                continue;
            }
            Path copy = scratch.resolve("copy-" + n++ + "-" + dir.getFileName());
            FileTree.copy(dir, copy);
            copies.add(new Buildpack(buildpack.name(), copy));
        }
        return copies;
    }

    private List<Buildpack> builtIns() {
        return DETECTION_ORDER.stream()
                .filter(name -> Files.isDirectory(buildpacksDir.resolve(name)))
                .map(name -> new Buildpack(name, buildpacksDir.resolve(name).toAbsolutePath().normalize()))
                .toList();
    }

    private static List<Detected> detectEach(List<Buildpack> buildpacks, Path build, BuildSandbox.Session session) {
        List<Detected> chosen = new ArrayList<>();
        for (Buildpack buildpack : buildpacks) {
            List<String> stdout = new ArrayList<>();
            int exit = run(session, buildpack, "detect", List.of(build), build, stdout::add, line -> { });
            if (exit != 0) {
                throw new BuildFailed("buildpack " + buildpack.name() + ": bin/detect does not accept this app"
                        + " (exited " + exit + ")");
            }
            chosen.add(new Detected(buildpack, kind(stdout, buildpack)));
        }
        return chosen;
    }

    /**
     * The first built-in whose {@code bin/detect} accepts the app, all of them tried in one step of
     * the sandbox ({@link #DETECT_FIRST}): in a container each step is a {@code docker exec}, a tenth
     * of a second or more, and a Procfile app is only found by the fifth.
     */
    private static Detected autoDetect(List<Buildpack> builtIns, Path build, BuildSandbox.Session session) {
        List<String> command = new ArrayList<>(List.of("/bin/sh", "-c", DETECT_FIRST, "detect", session.path(build)));
        builtIns.forEach(buildpack -> command.add(session.path(buildpack.bin("detect"))));
        List<String> stdout = new ArrayList<>();
        int exit;
        try {
            exit = session.run(command, build, stdout::add, line -> { });
        } catch (IOException e) {
            throw new BuildFailed("cannot run the buildpacks' bin/detect: " + e.getMessage(), e);
        }
        if (exit == 0 && !stdout.isEmpty() && stdout.get(0).startsWith(DETECTED)) {
            int index = Integer.parseInt(stdout.get(0).substring(DETECTED.length()).strip());
            Buildpack buildpack = builtIns.get(index);
            return new Detected(buildpack, kind(stdout.subList(1, stdout.size()), buildpack));
        }
        throw new BuildFailed("no buildpack detected this app (tried " + (builtIns.isEmpty() ? "none"
                : String.join(", ", builtIns.stream().map(Buildpack::name).toList())) + "): add a Procfile, or list "
                + "buildpacks in " + BUILDPACKS_FILE);
    }

    private static BuildpackRelease release(BuildSandbox.Session session, Buildpack buildpack, Path build,
                                            Consumer<String> output) {
        List<String> stdout = new ArrayList<>();
        int exit = run(session, buildpack, "release", List.of(build), build, stdout::add, output);
        if (exit != 0) {
            throw new BuildFailed("buildpack " + buildpack.name() + " failed: bin/release exited " + exit);
        }
        return BuildpackRelease.parse(String.join("\n", stdout), buildpack.name());
    }

    /** Runs one step; its arguments are paths, which the sandbox translates for the step. */
    private static int run(BuildSandbox.Session session, Buildpack buildpack, String step, List<Path> args,
                           Path workDir, Consumer<String> stdout, Consumer<String> stderr) {
        return run(session, buildpack, step, args, workDir, stdout, stderr, List.of());
    }

    /**
     * Runs the step with the {@code export} files of the buildpacks before it sourced first, in
     * order, as heroku-buildpack-multi does: what one buildpack installs (a runtime on
     * {@code PATH}) the next one finds.
     */
    private static int run(BuildSandbox.Session session, Buildpack buildpack, String step, List<Path> args,
                           Path workDir, Consumer<String> stdout, Consumer<String> stderr, List<Path> exports) {
        List<String> command = new ArrayList<>();
        if (!exports.isEmpty()) {
            command.addAll(List.of("/bin/sh", "-c",
                    "n=$1; shift; while [ \"$n\" -gt 0 ]; do . \"$1\"; shift; n=$((n - 1)); done; exec \"$@\"",
                    "sh", Integer.toString(exports.size())));
            exports.forEach(export -> command.add(session.path(export)));
        }
        command.add(session.path(buildpack.bin(step)));
        args.forEach(arg -> command.add(session.path(arg)));
        try {
            return session.run(command, workDir, stdout, stderr);
        } catch (IOException e) {
            throw new BuildFailed("buildpack " + buildpack.name() + " failed: cannot run bin/" + step + ": "
                    + e.getMessage(), e);
        }
    }

    private static String kind(List<String> detectOutput, Buildpack buildpack) {
        return detectOutput.isEmpty() || detectOutput.get(0).isBlank() ? buildpack.name() : detectOutput.get(0).strip();
    }

    private static Map<String, String> processTypes(Path build, Map<String, String> defaults, Consumer<String> output) {
        Map<String, String> types = new LinkedHashMap<>(defaults);
        output.accept("-----> Discovering process types");
        ProcfileCompiler.fileInTree(build, Procfile.FILE_NAME).ifPresent(file -> {
            Procfile procfile;
            try {
                procfile = Procfile.read(file);
            } catch (InvalidSource e) {
                throw new BuildFailed(e.getMessage(), e);
            }
            output.accept("       Procfile declares types -> " + String.join(", ", procfile.processTypes().keySet()));
            types.putAll(procfile.processTypes());
        });
        if (!defaults.isEmpty()) {
            output.accept("       Default types for buildpack -> " + String.join(", ", defaults.keySet()));
        }
        if (types.isEmpty()) {
            throw new BuildFailed("no process types: the buildpacks give no default process types and there is no"
                    + " Procfile: add one, e.g. `web: ./start.sh`");
        }
        try {
            return new Procfile(types).processTypes();
        } catch (IllegalArgumentException e) {
            throw new BuildFailed("bad default process types from the buildpacks: " + e.getMessage(), e);
        }
    }

    private static List<String> buildpacksFile(Path build) {
        return ProcfileCompiler.fileInTree(build, BUILDPACKS_FILE).map(file -> {
            try {
                return Files.readAllLines(file, StandardCharsets.UTF_8).stream()
                        .map(String::strip)
                        .filter(line -> !line.isEmpty() && !line.startsWith("#"))
                        .toList();
            } catch (IOException e) {
                throw new BuildFailed(BUILDPACKS_FILE + " cannot be read as UTF-8 text", e);
            }
        }).orElse(List.of());
    }

    /** Heroku removes what .slugignore lists before compiling, so buildpacks never see it. */
    private static void removeIgnored(Path build, Consumer<String> output) {
        SlugIgnore ignore = ProcfileCompiler.readSlugIgnore(build);
        ignore.warnings().forEach(warning -> output.accept(" !     " + warning));
        if (ignore.size() == 0) {
            return;
        }
        try {
            long removed = removeIgnored(build, "", ignore);
            if (removed > 0) {
                output.accept("-----> Removed " + removed + " paths listed in " + SlugIgnore.FILE_NAME);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove the paths .slugignore lists from " + build, e);
        }
    }

    private static long removeIgnored(Path dir, String prefix, SlugIgnore ignore) throws IOException {
        List<Path> children;
        try (Stream<Path> listing = Files.list(dir)) {
            children = listing.toList();
        }
        long removed = 0;
        for (Path child : children) {
            String relative = prefix + child.getFileName();
            boolean directory = Files.readAttributes(child, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS)
                    .isDirectory();
            if (ignore.excludes(relative, directory)) {
                FileTree.delete(child);
                removed++;
            } else if (directory) {
                removed += removeIgnored(child, relative + "/", ignore);
            }
        }
        return removed;
    }

    private Path cacheDir(String app) {
        if (app.contains("/") || app.equals(".") || app.equals("..")) {
            throw new IllegalArgumentException("app name cannot name a cache directory: " + app);
        }
        Path cache = cacheRoot.resolve(app);
        try {
            return Files.createDirectories(cache);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the build cache " + cache, e);
        }
    }

    /** One file per config var, named after it, holding its value; only this user can read them. */
    private Path envDir(Map<String, String> config) {
        try {
            Files.createDirectories(tmpRoot);
            Path env = Files.createTempDirectory(tmpRoot, "env-",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            for (Map.Entry<String, String> var : config.entrySet()) {
                Path file = Files.createFile(env.resolve(var.getKey()),
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                Files.writeString(file, var.getValue(), StandardCharsets.UTF_8);
            }
            return env;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the build's ENV_DIR under " + tmpRoot, e);
        }
    }

    private Path tempDir(String prefix) {
        try {
            Files.createDirectories(tmpRoot);
            return Files.createTempDirectory(tmpRoot, prefix);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary directory under " + tmpRoot, e);
        }
    }
}
