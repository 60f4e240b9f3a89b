package dev.slipway.framework.git;

import java.util.List;
import java.util.Objects;

/**
 * How the framework takes {@code git push}: which branches deploy, and how large a push may be.
 *
 * @param deployBranches a push to one of these branches builds and releases the app (Heroku's
 *                       {@code main} and {@code master} by default); others are only stored
 * @param maxPushBytes   a push whose request body is larger is refused with 413, before it fills
 *                       the disk
 */
public record GitSettings(List<String> deployBranches, long maxPushBytes) {
    public static final long DEFAULT_MAX_PUSH_BYTES = 500L * 1024 * 1024;
    public static final GitSettings DEFAULT = new GitSettings(List.of("main", "master"), DEFAULT_MAX_PUSH_BYTES);

    public GitSettings {
        Objects.requireNonNull(deployBranches, "deployBranches");
        deployBranches = List.copyOf(deployBranches);
        if (deployBranches.isEmpty()) {
            throw new IllegalArgumentException("--git-deploy-branch: at least one deploy branch is needed (main)");
        }
        for (String branch : deployBranches) {
            if (!org.eclipse.jgit.lib.Repository.isValidRefName("refs/heads/" + branch)) {
                throw new IllegalArgumentException("--git-deploy-branch: '" + branch + "' is not a valid branch name");
            }
        }
        if (maxPushBytes < 1) {
            throw new IllegalArgumentException("--max-upload-mb must be at least 1, not " + maxPushBytes);
        }
    }

    /** Whether {@code ref} (a full name, {@code refs/heads/main}) is a deploy branch. */
    public boolean deploys(String ref) {
        return ref.startsWith("refs/heads/") && deployBranches.contains(ref.substring("refs/heads/".length()));
    }

    /** The deploy branches as a user reads them: {@code main or master}. */
    String named() {
        return String.join(" or ", deployBranches);
    }
}
