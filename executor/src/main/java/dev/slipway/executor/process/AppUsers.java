package dev.slipway.executor.process;

import dev.slipway.docker.ContainerUser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Host mode as root: each app's processes run under the app's own Unix user, so that one app
 * cannot read another's {@code /proc/<pid>/environ} (its config vars), signal its processes, or
 * read its files. The user is {@code slipway-app-<app>} (see {@link #userName}): an existing user
 * of that name is used as it is (an operator's own mapping), a missing one is made with
 * {@code useradd --system}, without a home or a login shell.
 *
 * <p>The slug the fetcher unpacked is moved out of the Mesos sandbox (under Slipway's data
 * directory, which no app user may enter) into {@code <instances>/<task id>}, a directory owned by
 * the app's user with mode 0700 under a root directory of mode 0711 (no listing); the sandbox keeps
 * a link {@code app} to it. It is removed when the instance ends, or, when its executor died
 * first, when a later instance of the framework names its task among the ended ones. Commands are started as that user
 * by {@code setpriv}, with no supplementary groups and {@code no_new_privs}.
 */
public final class AppUsers {
    /** Where instances' homes are made by default: outside any user's home, as Mesos's /var/lib/mesos. */
    public static final Path DEFAULT_INSTANCES = Path.of("/var/lib/slipway-instances");
    static final String PREFIX = "slipway-app-";
    /** Debian's useradd refuses longer names. */
    private static final int MAX_USER_NAME = 32;
    private static final Pattern SAFE_TASK_ID = Pattern.compile("[A-Za-z0-9_.-]+");
    private static final int USERADD_NAME_IN_USE = 9;
    private static final Logger LOG = LoggerFactory.getLogger(AppUsers.class);

    private final Path instances;
    private final Path setpriv;

    AppUsers(Path instances, Path setpriv) {
        this.instances = instances;
        this.setpriv = setpriv;
    }

    /**
     * The app users of this machine when this process is root (and {@code setpriv} is there),
     * else null: apps then run as this process's user.
     */
    public static AppUsers forThisProcess(Path instances) {
        if (!Root.isThisProcess()) {
            return null;
        }
        Path setpriv = HostFirewall.tool("setpriv").orElse(null);
        if (setpriv == null) {
            LOG.warn("host mode: APPS RUN AS ROOT: there is no setpriv (util-linux) to run them as their own users");
            return null;
        }
        return new AppUsers(instances, setpriv);
    }

    /** An app's user: {@code slipway-app-<app>}, shortened with a digest when that is too long for useradd. */
    static String userName(String app) {
        String name = PREFIX + app;
        if (name.length() <= MAX_USER_NAME) {
            return name;
        }
        String digest = HexFormat.of().formatHex(sha256(app)).substring(0, 8);
        return PREFIX + app.substring(0, MAX_USER_NAME - PREFIX.length() - 9) + "-" + digest;
    }

    /** The app's user, made when missing. */
    AppUser ensure(String app) throws IOException {
        String name = userName(app);
        AppUser user = lookUp(name);
        if (user != null) {
            return user;
        }
        int code = run(List.of(HostFirewall.tool("useradd").map(Path::toString).orElse("useradd"), "--system",
                "--user-group", "--no-create-home", "--home-dir", "/nonexistent", "--shell", "/usr/sbin/nologin",
                "--comment", "Slipway app " + app, name));
        if (code != 0 && code != USERADD_NAME_IN_USE) {
            throw new IOException("cannot make the user " + name + " for the app " + app + " (useradd exited " + code
                    + ")");
        }
        user = lookUp(name);
        if (user == null) {
            throw new IOException("the user " + name + " for the app " + app + " is not there after useradd");
        }
        if (code == 0) {
            LOG.info("made the user {} (uid {}) for the app {}", name, user.uid(), app);
        }
        return user;
    }

    /**
     * Moves the slug at {@code appDir} into the instance's own home, owned by {@code user}, mode
     * 0700; leaves a link to it at {@code appDir}. Returns the home.
     */
    Path home(Instance instance, AppUser user) throws IOException {
        if (!SAFE_TASK_ID.matcher(instance.taskId()).matches() || instance.taskId().startsWith(".")) {
            throw new IOException("the task id " + instance.taskId() + " cannot name a directory");
        }
        Files.createDirectories(instances);
        Files.setPosixFilePermissions(instances, PosixFilePermissions.fromString("rwx--x--x"));
        Path home = instances.resolve(instance.taskId());
        Path appDir = instance.appDir().toAbsolutePath();
        if (Files.isSymbolicLink(appDir)) {
            // An executor started again for its task: the home is there already.
            if (!Files.isDirectory(home)) {
                throw new IOException("the slug is gone: " + appDir + " links to " + Files.readSymbolicLink(appDir)
                        + ", which is not a directory");
            }
        } else {
            if (Files.exists(home, LinkOption.NOFOLLOW_LINKS)) {
                removeTree(home);
            }
            move(appDir, home);
            Files.createSymbolicLink(appDir, home);
        }
        new ContainerUser(user.uid(), user.gid(), true).handOver(home);
        Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwx------"));
        return home;
    }

    /**
     * Removes the homes of the framework's tasks that ended lately ({@code TaskSpec.endedTaskIds}):
     * those whose executor died before it could remove them.
     */
    void removeHomesOf(List<String> endedTaskIds) {
        for (String taskId : endedTaskIds) {
            Path home = instances.resolve(taskId).normalize();
            if (SAFE_TASK_ID.matcher(taskId).matches() && !taskId.startsWith(".") && home.getParent().equals(instances)
                    && Files.exists(home, LinkOption.NOFOLLOW_LINKS)) {
                LOG.info("removing {}, left by the ended task {}", home, taskId);
                removeHome(home);
            }
        }
    }

    /** Removes an instance's home once it has ended. */
    void removeHome(Path home) {
        try {
            removeTree(home);
        } catch (IOException e) {
            LOG.warn("cannot remove the instance home {}: {}", home, e.getMessage());
        }
    }

    /** What runs a command as {@code user}: prepended to the command's argv. */
    List<String> launcher(AppUser user) {
        return List.of(setpriv.toString(), "--reuid=" + user.uid(), "--regid=" + user.gid(), "--clear-groups",
                "--no-new-privs", "--");
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException sameFileSystemOnly) {
            // Another file system: copied with its links and modes, then removed.
            Files.createDirectories(to);
            int code = run(List.of("cp", "-a", "--", from + "/.", to.toString()));
            if (code != 0) {
                throw new IOException("cannot copy the slug from " + from + " to " + to + " (cp exited " + code + ")");
            }
            removeTree(from);
        }
    }

    private static AppUser lookUp(String name) throws IOException {
        Process process = new ProcessBuilder("getent", "passwd", name).redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        if (await(process) != 0 || out.isEmpty()) {
            return null;
        }
        String[] fields = out.split(":");
        try {
            return new AppUser(name, Integer.parseInt(fields[2]), Integer.parseInt(fields[3]));
        } catch (RuntimeException e) {
            throw new IOException("cannot read the user " + name + " from getent: " + out, e);
        }
    }

    private static int run(List<String> command) throws IOException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] out = process.getInputStream().readAllBytes();
        int code = await(process);
        if (code != 0) {
            LOG.debug("{} exited {}: {}", command.get(0), code, new String(out, StandardCharsets.UTF_8).strip());
        }
        return code;
    }

    private static int await(Process process) throws IOException {
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException("no answer within 60 s from " + process.info().command().orElse("a command"));
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    private static void removeTree(Path root) throws IOException {
        if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        List<Path> failed = new ArrayList<>();
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException e) {
                delete(dir);
                return FileVisitResult.CONTINUE;
            }

            private void delete(Path path) {
                try {
                    Files.deleteIfExists(path);
                } catch (IOException e) {
                    failed.add(path);
                }
            }
        });
        if (!failed.isEmpty()) {
            throw new IOException("cannot remove " + failed.size() + " files, " + failed.get(0) + " first");
        }
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("no SHA-256 in this JVM", e);
        }
    }

    /** A Unix user an app runs as. */
    record AppUser(String name, int uid, int gid) {
    }
}
