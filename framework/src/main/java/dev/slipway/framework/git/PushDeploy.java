package dev.slipway.framework.git;

import dev.slipway.framework.build.BuildLog;
import dev.slipway.framework.build.BuildQueue;
import dev.slipway.zk.Build;
import dev.slipway.zk.BuildStatus;
import dev.slipway.zk.BuildStore;
import dev.slipway.zk.Conflict;
import dev.slipway.zk.Unavailable;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Optional;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.transport.PostReceiveHook;
import org.eclipse.jgit.transport.PreReceiveHook;
import org.eclipse.jgit.transport.ReceiveCommand;
import org.eclipse.jgit.transport.ReceivePack;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a {@code git push} to an app does, as {@code git push heroku main} does: a push to a deploy
 * branch builds the pushed commit's tree through the {@link BuildQueue} (the same builds as an
 * upload), streaming the build's output back to the pusher line by line ({@code remote: ...}),
 * then names the release and the app's URL.
 *
 * <p>It runs before the refs move (a pre-receive hook): the deploy branch moves only when its
 * build succeeded. A failed build rejects the push with the reason; the branch stays where it was
 * (the next push builds again) and the app keeps its current release. Other branches and tags are
 * stored without a build, and the pusher is told so; deleting a deploy branch is refused. Blocking:
 * it runs on the thread serving the push, for as long as the build takes. One per push.
 */
public final class PushDeploy implements PreReceiveHook, PostReceiveHook {
    private static final Logger LOG = LoggerFactory.getLogger(PushDeploy.class);
    private static final String HEADS = "refs/heads/";
    private static final String TAGS = "refs/tags/";
    private static final int MAX_REASON = 200;

    private final String app;
    private final String appUrl;
    private final BuildQueue builds;
    private final BuildStore records;
    private final GitSettings settings;
    private final Path scratch;
    private final String user;
    /** The deploy branch's command whose build released, and the release: for after the refs moved. */
    private ReceiveCommand released;
    private int releasedVersion;

    /**
     * @param appUrl  where the app answers, told after a release
     * @param scratch where the source archive of a pushed commit is written before it is built
     * @param user    who pushes: the user its releases name
     */
    public PushDeploy(String app, String appUrl, BuildQueue builds, BuildStore records, GitSettings settings,
                      Path scratch, String user) {
        this.app = app;
        this.user = user;
        this.appUrl = appUrl;
        this.builds = builds;
        this.records = records;
        this.settings = settings;
        this.scratch = scratch;
    }

    /** Sets up {@code receive} as every push to an app needs: force pushes allowed, this hook on. */
    public void configure(ReceivePack receive) {
        receive.setAllowNonFastForwards(true);
        receive.setAllowDeletes(true);
        receive.setAllowCreates(true);
        receive.setAtomic(false);
        receive.setMaxPackSizeLimit(settings.maxPushBytes());
        receive.setPreReceiveHook(this);
        receive.setPostReceiveHook(this);
    }

    @Override
    public void onPreReceive(ReceivePack receive, Collection<ReceiveCommand> commands) {
        Messages out = new Messages(receive);
        ReceiveCommand deploy = null;
        for (ReceiveCommand command : commands) {
            if (command.getResult() != ReceiveCommand.Result.NOT_ATTEMPTED) {
                continue;
            }
            String ref = command.getRefName();
            if (settings.deploys(ref)) {
                if (command.getType() == ReceiveCommand.Type.DELETE) {
                    reject(out, command, "the deploy branch " + branch(ref) + " cannot be deleted: the app is built "
                            + "from it");
                } else if (deploy != null) {
                    reject(out, command, "push one deploy branch at a time (" + branch(deploy.getRefName())
                            + " is being deployed)");
                } else {
                    deploy = command;
                }
            } else if (!ref.startsWith(HEADS) && !ref.startsWith(TAGS)) {
                reject(out, command, "only branches and tags are kept, not " + ref);
            }
        }
        for (ReceiveCommand command : commands) {
            if (command != deploy && command.getResult() == ReceiveCommand.Result.NOT_ATTEMPTED) {
                stored(out, command);
            }
        }
        if (deploy != null) {
            deploy(receive, deploy, out);
        } else if (!hasDeployBranch(receive)) {
            out.say(" !     Nothing is deployed until you push " + settings.named() + ": git push slipway HEAD:"
                    + settings.deployBranches().get(0));
        }
    }

    /**
     * The deploy branch that moved is the repository's HEAD, so that a clone checks it out. One
     * that could not move after its release (another push moved it meanwhile) is named.
     */
    @Override
    public void onPostReceive(ReceivePack receive, Collection<ReceiveCommand> commands) {
        if (released != null && released.getResult() != ReceiveCommand.Result.OK) {
            new Messages(receive).say(" !     v" + releasedVersion + " is released, but " + branch(released.getRefName())
                    + " could not be moved to it (" + released.getResult() + "): push again");
        }
        for (ReceiveCommand command : commands) {
            if (settings.deploys(command.getRefName()) && command.getResult() == ReceiveCommand.Result.OK
                    && command.getType() != ReceiveCommand.Type.DELETE) {
                try {
                    RefUpdate head = receive.getRepository().updateRef("HEAD");
                    head.disableRefLog();
                    head.link(command.getRefName());
                } catch (IOException e) {
                    LOG.warn("cannot point HEAD of app {}'s repository at {}: {}", app, command.getRefName(),
                            e.getMessage());
                }
            }
        }
    }

    private void stored(Messages out, ReceiveCommand command) {
        String ref = command.getRefName();
        boolean tag = ref.startsWith(TAGS);
        String name = tag ? "Tag " + ref.substring(TAGS.length()) : "Branch " + branch(ref);
        if (command.getType() == ReceiveCommand.Type.DELETE) {
            out.say("-----> " + name + " deleted");
        } else if (tag) {
            out.say("-----> " + name + " stored; tags are not deployed");
        } else {
            out.say("-----> " + name + " stored, not deployed: Slipway deploys " + settings.named()
                    + " (git push slipway " + branch(ref) + ":" + settings.deployBranches().get(0) + " deploys it)");
        }
    }

    private boolean hasDeployBranch(ReceivePack receive) {
        try {
            for (String branch : settings.deployBranches()) {
                if (receive.getRepository().exactRef(HEADS + branch) != null) {
                    return true;
                }
            }
            return false;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the refs of app " + app + "'s repository", e);
        }
    }

    private void deploy(ReceivePack receive, ReceiveCommand command, Messages out) {
        ObjectId id = command.getNewId();
        String shortId = id.abbreviate(7).name();
        String branch = branch(command.getRefName());
        Path source;
        TreeTarball.Packed packed;
        try {
            RevCommit commit = receive.getRevWalk().parseCommit(id);
            Files.createDirectories(scratch);
            source = Files.createTempFile(scratch, "push-", ".tgz");
            try {
                packed = TreeTarball.write(receive.getRepository(), commit, source);
            } catch (IOException | RuntimeException e) {
                Files.deleteIfExists(source);
                throw e;
            }
        } catch (IOException e) {
            LOG.warn("cannot pack commit {} pushed to app {}", id.name(), app, e);
            reject(out, command, "the pushed commit could not be read: " + e.getMessage());
            return;
        }
        if (packed.files() == 0) {
            delete(source);
            reject(out, command, "commit " + shortId + " has no files: there is nothing to build");
            return;
        }
        if (command.getType() == ReceiveCommand.Type.UPDATE_NONFASTFORWARD) {
            out.say("-----> Force push: " + branch + " is replaced by " + shortId);
        }
        for (String submodule : packed.submodules()) {
            out.say(" !     Submodule " + submodule + " is not included in the build");
        }
        out.say("-----> Pushed " + branch + " (" + shortId + "): building " + app);
        Build build;
        try {
            build = builds.submit(app, source, user);
        } catch (Conflict | Unavailable e) {
            reject(out, command, e.getMessage());
            return;
        }
        LOG.info("push of {} to app {} ({}) is build {}", shortId, app, branch, build.id());
        follow(build, out);
        Build finished = records.require(app, build.id());
        if (finished.status() == BuildStatus.SUCCEEDED) {
            // Under the build's own "-----> Launching..." line, as Heroku's.
            released = command;
            releasedVersion = finished.release();
            out.say("       Released v" + finished.release());
            out.say("       " + appUrl + " deployed to Slipway");
            return;
        }
        out.say(" !     Push rejected: the build failed; " + app + " keeps its current release");
        reject(null, command, "build failed: " + finished.error().lines().findFirst().orElse("see the output above"));
    }

    /** Sends the build's output to the pusher as it is written, until the build ends. */
    private void follow(Build build, Messages out) {
        Path file = builds.logFile(app, build.id());
        Optional<BuildLog> live = builds.live(build.id());
        Progress progress = new Progress();
        BuildLog.Position position = live.map(log -> log.watch(progress)).orElse(null);
        if (position != null) {
            progress.grew(position.size(), position.finished());
        } else {
            // Ended before it could be watched: its file is whole.
            progress.grew(size(file), true);
        }
        long sent = 0;
        StringBuilder partial = new StringBuilder();
        try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
            while (true) {
                BuildLog.Position now = progress.await(sent);
                if (now.size() > sent) {
                    byte[] bytes = new byte[(int) Math.min(now.size() - sent, 64 * 1024)];
                    in.seek(sent);
                    in.readFully(bytes);
                    sent += bytes.length;
                    partial.append(new String(bytes, StandardCharsets.UTF_8));
                    int end;
                    while ((end = partial.indexOf("\n")) >= 0) {
                        out.say(partial.substring(0, end));
                        partial.delete(0, end + 1);
                    }
                } else if (now.finished()) {
                    break;
                }
            }
        } catch (IOException e) {
            out.say(" !     The build's output could not be read: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            live.ifPresent(log -> log.unwatch(progress));
        }
        if (partial.length() > 0) {
            out.say(partial.toString());
        }
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return 0;
        }
    }

    private static void reject(Messages out, ReceiveCommand command, String reason) {
        if (out != null) {
            out.say(" !     " + reason);
        }
        String line = reason.replaceAll("[\\r\\n]+", " ");
        command.setResult(ReceiveCommand.Result.REJECTED_OTHER_REASON,
                line.length() > MAX_REASON ? line.substring(0, MAX_REASON - 3) + "..." : line);
    }

    private static String branch(String ref) {
        return ref.startsWith(HEADS) ? ref.substring(HEADS.length()) : ref;
    }

    private static void delete(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.warn("cannot delete {}: {}", file, e.getMessage());
        }
    }

    /** How far the build's output has grown, handed from the build's thread to the push's. */
    private static final class Progress implements BuildLog.Watcher {
        private long size;
        private boolean finished;

        @Override
        public synchronized void grew(long newSize, boolean done) {
            size = Math.max(size, newSize);
            finished |= done;
            notifyAll();
        }

        synchronized BuildLog.Position await(long after) throws InterruptedException {
            while (size <= after && !finished) {
                wait();
            }
            return new BuildLog.Position(size, finished);
        }
    }

    /** Lines to the pusher, on git's progress channel ({@code remote: ...}), each sent at once. */
    private record Messages(ReceivePack receive) {
        void say(String line) {
            receive.sendMessage(line);
            try {
                receive.getMessageOutputStream().flush();
            } catch (IOException e) {
                // The pusher went away: the push goes on without them.
            }
        }
    }
}
