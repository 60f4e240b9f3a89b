package dev.slipway.framework.auth;

import dev.slipway.zk.AccountStore;
import dev.slipway.zk.Conflict;
import dev.slipway.zk.Team;
import dev.slipway.zk.User;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The first start's accounts: when ZooKeeper holds no admin yet, the user {@value #ADMIN} (an
 * admin), the team {@value #TEAM} with it as a member, and a token for it, made together.
 */
public final class Bootstrap {
    public static final String ADMIN = "admin";
    public static final String TEAM = "main";

    private Bootstrap() {
    }

    /**
     * Makes the first admin if there is none (blocking: ZooKeeper), and answers its token's
     * plaintext, which exists nowhere else: hand it over in-process, never log it. Empty when an
     * admin existed (or another framework process made it at the same moment).
     */
    public static Optional<String> firstAdmin(AccountStore accounts, Instant now) {
        if (accounts.hasAdmin()) {
            return Optional.empty();
        }
        Tokens.Minted token = Tokens.mint(ADMIN, "made on the first start", now);
        try {
            accounts.bootstrap(new User(ADMIN, true, now), new Team(TEAM, List.of(ADMIN), now), token.stored());
        } catch (Conflict e) {
            return Optional.empty();
        }
        return Optional.of(token.plaintext());
    }
}
