package dev.slipway.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The app named by the {@code slipway} git remote of a directory, as Heroku's CLI reads its
 * {@code heroku} remote: the remote's URL ends {@code /git/<app>.git} (what {@code slipway
 * git:remote -a APP} writes). Read from the repository's config file, without running git: the
 * directory or the nearest one above it holding {@code .git} (a directory, or a worktree's or
 * submodule's {@code gitdir:} file).
 */
final class SlipwayRemote {
    /** The remote's name. */
    static final String NAME = "slipway";
    private static final Pattern SECTION = Pattern.compile("^\\s*\\[\\s*remote\\s+\"([^\"]*)\"\\s*]\\s*$");
    private static final Pattern URL = Pattern.compile("^\\s*url\\s*=\\s*(.*?)\\s*$", Pattern.CASE_INSENSITIVE);
    private static final Pattern APP = Pattern.compile("/git/([a-z0-9][a-z0-9-]*)\\.git/?$");

    private SlipwayRemote() {
    }

    /** The app of {@code dir}'s slipway remote, or null when there is no repository, no such remote, or another URL. */
    static String app(Path dir) {
        return appOf(url(dir));
    }

    /** The app a Slipway git URL names ({@code .../git/<app>.git}), or null for another URL. */
    static String appOf(String url) {
        if (url == null) {
            return null;
        }
        Matcher matcher = APP.matcher(url);
        return matcher.find() ? matcher.group(1) : null;
    }

    /** The URL of {@code dir}'s slipway remote, or null. */
    static String url(Path dir) {
        Path config = config(dir.toAbsolutePath().normalize());
        if (config == null) {
            return null;
        }
        try {
            return url(Files.readAllLines(config));
        } catch (IOException e) {
            return null;
        }
    }

    static String url(List<String> config) {
        boolean inSlipway = false;
        for (String line : config) {
            Matcher section = SECTION.matcher(line);
            if (section.matches()) {
                inSlipway = section.group(1).equals(NAME);
                continue;
            }
            if (line.strip().startsWith("[")) {
                inSlipway = false;
                continue;
            }
            Matcher url = URL.matcher(line);
            if (inSlipway && url.matches()) {
                return unquoted(url.group(1));
            }
        }
        return null;
    }

    private static String unquoted(String value) {
        return value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")
                ? value.substring(1, value.length() - 1) : value;
    }

    /** The config file of the repository {@code dir} is in, or null. */
    private static Path config(Path dir) {
        for (Path at = dir; at != null; at = at.getParent()) {
            Path git = at.resolve(".git");
            if (Files.isDirectory(git)) {
                return existing(git.resolve("config"));
            }
            if (Files.isRegularFile(git)) {
                return worktreeConfig(at, git);
            }
        }
        return null;
    }

    /** A worktree's {@code .git} file names its git directory, whose {@code commondir} holds the shared config. */
    private static Path worktreeConfig(Path at, Path gitFile) {
        try {
            String first = Files.readAllLines(gitFile).stream().findFirst().orElse("");
            if (!first.startsWith("gitdir:")) {
                return null;
            }
            Path gitDir = at.resolve(first.substring("gitdir:".length()).strip()).normalize();
            Path commonDir = gitDir.resolve("commondir");
            if (Files.isRegularFile(commonDir)) {
                gitDir = gitDir.resolve(Files.readString(commonDir).strip()).normalize();
            }
            return existing(gitDir.resolve("config"));
        } catch (IOException e) {
            return null;
        }
    }

    private static Path existing(Path file) {
        return Files.isRegularFile(file) ? file : null;
    }
}
