package dev.slipway.slug;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * How an app names a buildpack, checked before anything is stored: a built-in's name
 * ({@code nodejs}), a directory on the building machine ({@code /opt/buildpacks/go}, or, in a
 * {@code .buildpacks} file, relative to the app's root: {@code ./buildpacks/mine}, {@code bp/mine}), a gzip tarball URL
 * ({@code https://example.com/bp.tgz}), or a git URL, optionally with a branch or tag after
 * {@code #} ({@code https://github.com/heroku/heroku-buildpack-nodejs#v250}).
 *
 * @param text   the reference as given, stripped
 * @param kind   what it names
 * @param gitRef for {@link Kind#GIT}, the branch or tag after {@code #}; empty for the default
 */
public record BuildpackReference(String text, Kind kind, String gitRef) {
    public enum Kind { BUILT_IN, DIRECTORY, TARBALL, GIT }

    static final Pattern BUILT_IN = Pattern.compile("[a-z0-9][a-z0-9._-]*");
    private static final Pattern SCP_LIKE = Pattern.compile("[A-Za-z0-9._-]+@[A-Za-z0-9.-]+:[^\\s]+");
    private static final int MAX_LENGTH = 2048;

    public BuildpackReference {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(kind, "kind");
        gitRef = gitRef == null ? "" : gitRef;
    }

    /**
     * Reads a reference.
     *
     * @throws IllegalArgumentException with a message for the user when it names nothing usable
     */
    public static BuildpackReference parse(String reference) {
        if (reference == null || reference.isBlank()) {
            throw new IllegalArgumentException("a buildpack reference must not be blank");
        }
        String ref = reference.strip();
        if (ref.length() > MAX_LENGTH || ref.chars().anyMatch(c -> c < 0x20 || c == 0x7f || c == ' ')) {
            throw new IllegalArgumentException("not a buildpack reference (spaces, control characters or over "
                    + MAX_LENGTH + " characters): " + printable(ref));
        }
        if (BUILT_IN.matcher(ref).matches()) {
            return new BuildpackReference(ref, Kind.BUILT_IN, "");
        }
        if (SCP_LIKE.matcher(ref).matches() && !ref.contains("://")) {
            return git(ref);
        }
        if (!ref.contains("://")) {
            if (ref.startsWith("/") || ref.startsWith(".") || ref.contains("/")) {
                return new BuildpackReference(ref, Kind.DIRECTORY, "");
            }
            throw new IllegalArgumentException("not a buildpack reference: " + ref + " (give a built-in name such as "
                    + "nodejs, a directory path, a .tgz URL or a git URL)");
        }
        URI uri;
        try {
            uri = new URI(ref);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("not a valid buildpack URL: " + ref + " (" + e.getReason() + ")", e);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (uri.getHost() == null && !scheme.equals("file")) {
            throw new IllegalArgumentException("buildpack URL has no host: " + ref);
        }
        String path = uri.getPath() == null ? "" : uri.getPath().toLowerCase(Locale.ROOT);
        boolean tarball = path.endsWith(".tgz") || path.endsWith(".tar.gz");
        return switch (scheme) {
            case "http", "https" -> tarball ? new BuildpackReference(ref, Kind.TARBALL, "") : git(ref);
            case "git", "ssh", "file" -> {
                if (tarball) {
                    throw new IllegalArgumentException("a tarball buildpack needs an http(s) URL: " + ref);
                }
                yield git(ref);
            }
            default -> throw new IllegalArgumentException("unsupported buildpack URL scheme '" + scheme + "': " + ref
                    + " (use https, http, git or ssh)");
        };
    }

    private static BuildpackReference git(String ref) {
        int hash = ref.indexOf('#');
        String branch = hash < 0 ? "" : ref.substring(hash + 1);
        if (hash >= 0 && (branch.isEmpty() || branch.startsWith("-"))) {
            throw new IllegalArgumentException("bad git ref after '#' in buildpack URL: " + ref);
        }
        return new BuildpackReference(ref, Kind.GIT, branch);
    }

    /** The URL to fetch: for git, without the {@code #ref}. */
    public String location() {
        int hash = text.indexOf('#');
        return kind == Kind.GIT && hash >= 0 ? text.substring(0, hash) : text;
    }

    private static String printable(String text) {
        return text.length() > 80 ? text.substring(0, 80) + "..." : text.replaceAll("\\p{Cntrl}", "?");
    }

    @Override
    public String toString() {
        return text;
    }
}
