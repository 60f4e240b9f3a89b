package dev.slipway.zk;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.apache.curator.framework.CuratorFramework;

/**
 * Users, teams and API tokens under {@code /auth}, and the key the framework signs download URLs
 * and instances' log credentials with. Only token hashes are stored (see {@link StoredToken}); the
 * nodes carry Slipway's own ACL (the router cannot read them).
 */
public final class AccountStore {
    private static final int KEY_BYTES = 32;
    private final Nodes nodes;

    public AccountStore(CuratorFramework zk) {
        this.nodes = new Nodes(zk);
    }

    AccountStore(Nodes nodes) {
        this.nodes = nodes;
    }

    // --- users

    public Optional<User> user(String name) {
        return nodes.read(ZkPaths.user(name), User.class).map(Versioned::value);
    }

    public List<User> users() {
        return nodes.readChildren(ZkPaths.USERS, User.class);
    }

    /** Whether any admin exists (none before the first start). */
    public boolean hasAdmin() {
        return users().stream().anyMatch(User::admin);
    }

    /** Stores a new user with its first token, together; {@link Conflict} if the user exists. */
    public void createUser(User user, StoredToken first) {
        requireOwner(user, first);
        ensureParents();
        nodes.transaction("create user " + user.name(), nodes.createOp(ZkPaths.user(user.name()), user),
                nodes.createOp(ZkPaths.token(first.id()), first));
    }

    /**
     * The first start's accounts, all or nothing: an admin, a team it belongs to, and its token.
     * {@link Conflict} if any of them exists (another framework process made them first).
     */
    public void bootstrap(User admin, Team team, StoredToken token) {
        requireOwner(admin, token);
        ensureParents();
        nodes.transaction("create the first admin", nodes.createOp(ZkPaths.user(admin.name()), admin),
                nodes.createOp(ZkPaths.team(team.name()), team), nodes.createOp(ZkPaths.token(token.id()), token));
    }

    // --- teams

    public Optional<Versioned<Team>> team(String name) {
        return nodes.read(ZkPaths.team(name), Team.class);
    }

    public List<Team> teams() {
        return nodes.readChildren(ZkPaths.TEAMS, Team.class);
    }

    /** The teams {@code user} is a member of. */
    public List<Team> teamsOf(String user) {
        return teams().stream().filter(team -> team.has(user)).toList();
    }

    /** Stores a new team; {@link Conflict} if one of that name exists. */
    public void createTeam(Team team) {
        ensureParents();
        nodes.create(ZkPaths.team(team.name()), team);
    }

    /** Writes the team if it is unchanged since {@code version}; {@link Conflict} otherwise. */
    public void updateTeam(Team team, int version) {
        nodes.update(ZkPaths.team(team.name()), team, version);
    }

    // --- tokens

    public Optional<StoredToken> token(String id) {
        return nodes.read(ZkPaths.token(id), StoredToken.class).map(Versioned::value);
    }

    public List<StoredToken> tokens() {
        return nodes.readChildren(ZkPaths.TOKENS, StoredToken.class);
    }

    public List<StoredToken> tokensOf(String user) {
        return tokens().stream().filter(token -> token.user().equals(user)).toList();
    }

    /** Stores a new token; {@link Conflict} if its id is taken. */
    public void createToken(StoredToken token) {
        ensureParents();
        nodes.create(ZkPaths.token(token.id()), token);
    }

    /** Deletes the token; false when there was none. */
    public boolean deleteToken(String id) {
        return nodes.delete(ZkPaths.token(id));
    }

    // --- the signing key

    /**
     * The key every framework process signs with: read, or made (32 random bytes) by whichever
     * process asks first; the same for all of them from then on.
     */
    public byte[] signingKey() {
        Optional<Versioned<Key>> stored = nodes.read(ZkPaths.SIGNING_KEY, Key.class);
        if (stored.isPresent()) {
            return stored.get().value().bytes();
        }
        byte[] key = new byte[KEY_BYTES];
        new SecureRandom().nextBytes(key);
        try {
            nodes.create(ZkPaths.SIGNING_KEY, new Key(Base64.getUrlEncoder().withoutPadding().encodeToString(key)));
            return key;
        } catch (Conflict e) {
            // Another framework process made it meanwhile: theirs is the one.
            return nodes.read(ZkPaths.SIGNING_KEY, Key.class).orElseThrow(() -> e).value().bytes();
        }
    }

    private void ensureParents() {
        nodes.ensure(ZkPaths.USERS);
        nodes.ensure(ZkPaths.TEAMS);
        nodes.ensure(ZkPaths.TOKENS);
    }

    private static void requireOwner(User user, StoredToken token) {
        if (!token.user().equals(user.name())) {
            throw new IllegalArgumentException("the token belongs to " + token.user() + ", not " + user.name());
        }
    }

    /** The signing key, base64url. */
    record Key(String key) {
        byte[] bytes() {
            return Base64.getUrlDecoder().decode(key);
        }

        @Override
        public String toString() {
            return "Key[***]";
        }
    }
}
