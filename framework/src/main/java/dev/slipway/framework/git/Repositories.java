package dev.slipway.framework.git;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;

/**
 * One bare git repository per app, at {@code <dir>/<app>.git}, created on the app's first push.
 * App names are checked by the caller (they are valid app names: no dots, no slashes). Blocking.
 */
public final class Repositories {
    private final Path dir;
    private final String defaultBranch;

    public Repositories(Path dir, GitSettings settings) {
        this.dir = dir;
        this.defaultBranch = settings.deployBranches().get(0);
    }

    Path of(String app) {
        return dir.resolve(app + ".git");
    }

    /** The app's repository if it was ever pushed to; the caller closes it. */
    public Optional<Repository> open(String app) {
        Path path = of(app);
        if (!Files.isRegularFile(path.resolve("HEAD"))) {
            return Optional.empty();
        }
        try {
            return Optional.of(new FileRepositoryBuilder().setGitDir(path.toFile()).setBare().setMustExist(true)
                    .build());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the git repository of app " + app, e);
        }
    }

    /** The app's repository, created (bare, HEAD at the first deploy branch) if it is new; the caller closes it. */
    public synchronized Repository openOrCreate(String app) {
        Optional<Repository> existing = open(app);
        if (existing.isPresent()) {
            return existing.get();
        }
        try {
            Files.createDirectories(dir);
            Repository created = new FileRepositoryBuilder().setGitDir(of(app).toFile()).setBare().build();
            created.create(true);
            RefUpdate head = created.updateRef("HEAD");
            head.disableRefLog();
            head.link("refs/heads/" + defaultBranch);
            return created;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the git repository of app " + app, e);
        }
    }
}
