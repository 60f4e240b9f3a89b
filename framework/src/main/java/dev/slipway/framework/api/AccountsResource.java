package dev.slipway.framework.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.slipway.framework.auth.Caller;
import dev.slipway.framework.auth.Tokens;
import dev.slipway.zk.AccountStore;
import dev.slipway.zk.Conflict;
import dev.slipway.zk.NotFound;
import dev.slipway.zk.StoredToken;
import dev.slipway.zk.Team;
import dev.slipway.zk.User;
import dev.slipway.zk.Versioned;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who calls and what it holds: {@code /account}, {@code /tokens}, {@code /users} and
 * {@code /teams}. A token's plaintext is answered once, when it is made, and stored nowhere.
 */
final class AccountsResource {
    private static final Logger LOG = LoggerFactory.getLogger(AccountsResource.class);
    private static final Pattern TOKEN_ID = Pattern.compile("[0-9a-f]{16}");

    private final AccountStore accounts;
    private final Clock clock;
    private final Consumer<String> revoked;

    /** {@code revoked} is told the id of each token revoked here. */
    AccountsResource(AccountStore accounts, Clock clock, Consumer<String> revoked) {
        this.accounts = accounts;
        this.clock = clock;
        this.revoked = revoked;
    }

    record AccountBody(String name, boolean admin, List<String> teams, Instant createdAt) {
    }

    /** A token as shown: {@code token} (the plaintext) only in the answer that made it. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record TokenBody(String id, String user, String description, Instant createdAt, String token) {
        static TokenBody of(StoredToken stored, String plaintext) {
            return new TokenBody(stored.id(), stored.user(), stored.description(), stored.createdAt(), plaintext);
        }
    }

    /** A user as shown: {@code token} (its first token's plaintext) only in the answer that made it. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record UserBody(String name, boolean admin, Instant createdAt, String token) {
    }

    record TeamBody(String name, List<String> members, Instant createdAt) {
        static TeamBody of(Team team) {
            return new TeamBody(team.name(), team.members(), team.createdAt());
        }
    }

    record CreateToken(String description) {
    }

    record CreateUser(String name, Boolean admin) {
    }

    record CreateTeam(String name) {
    }

    record AddMember(String user) {
    }

    void mount(Router router) {
        router.get("/account").handler(ctx -> Handlers.respond(ctx, 200, () -> account(Caller.of(ctx))));
        router.post("/tokens").handler(ctx -> Handlers.respond(ctx, 201, () -> createToken(ctx)));
        router.get("/tokens").handler(ctx -> Handlers.respond(ctx, 200, () -> tokens(ctx)));
        router.delete("/tokens/:id").handler(ctx -> Handlers.respond(ctx, 200, () -> revoke(ctx)));
        router.post("/users").handler(ctx -> Handlers.respond(ctx, 201, () -> createUser(ctx)));
        router.get("/users").handler(ctx -> Handlers.respond(ctx, 200, () -> users(Caller.of(ctx))));
        router.post("/teams").handler(ctx -> Handlers.respond(ctx, 201, () -> createTeam(ctx)));
        router.get("/teams").handler(ctx -> Handlers.respond(ctx, 200, () -> teams(Caller.of(ctx))));
        router.post("/teams/:team/members").handler(ctx -> Handlers.respond(ctx, 200, () -> addMember(ctx)));
        router.delete("/teams/:team/members/:user").handler(ctx -> Handlers.respond(ctx, 200,
                () -> removeMember(ctx)));
    }

    private AccountBody account(Caller caller) {
        User user = accounts.user(caller.user()).orElseThrow(() -> new NotFound("user '" + caller.user()
                + "' does not exist"));
        return new AccountBody(user.name(), user.admin(), caller.teams().stream().sorted().toList(), user.createdAt());
    }

    private TokenBody createToken(RoutingContext ctx) {
        Caller caller = Caller.of(ctx);
        CreateToken request = body(ctx, CreateToken.class);
        String description = description(request.description());
        Tokens.Minted minted = Tokens.mint(caller.user(), description, clock.instant());
        accounts.createToken(minted.stored());
        LOG.info("token {} made for user {}", minted.stored().id(), caller.user());
        return TokenBody.of(minted.stored(), minted.plaintext());
    }

    private List<TokenBody> tokens(RoutingContext ctx) {
        Caller caller = Caller.of(ctx);
        String user = ctx.queryParams().get("user");
        if (user != null && !user.equals(caller.user()) && !caller.admin()) {
            throw Denied.forbidden("only admins may list another user's tokens; you are user '" + caller.user() + "'");
        }
        List<StoredToken> tokens = user == null ? accounts.tokensOf(caller.user())
                : user.equals("*") ? accounts.tokens() : accounts.tokensOf(user);
        return tokens.stream().map(t -> TokenBody.of(t, null)).toList();
    }

    private TokenBody revoke(RoutingContext ctx) {
        Caller caller = Caller.of(ctx);
        String id = ctx.pathParam("id");
        NotFound none = new NotFound("no token " + id + " (`slipway tokens` lists yours)");
        if (!TOKEN_ID.matcher(id).matches()) {
            throw none;
        }
        StoredToken token = accounts.token(id).orElseThrow(() -> none);
        if (!token.user().equals(caller.user()) && !caller.admin()) {
            throw Denied.forbidden("token " + id + " is not yours: only its user or an admin may revoke it");
        }
        accounts.deleteToken(id);
        revoked.accept(id);
        LOG.info("token {} of user {} revoked by {}", id, token.user(), caller.user());
        return TokenBody.of(token, null);
    }

    private UserBody createUser(RoutingContext ctx) {
        Caller caller = requireAdmin(Caller.of(ctx), "add users");
        CreateUser request = body(ctx, CreateUser.class);
        String name = userName(request.name(), "name");
        boolean admin = Boolean.TRUE.equals(request.admin());
        Instant now = clock.instant();
        Tokens.Minted first = Tokens.mint(name, "first token, made with the user", now);
        try {
            accounts.createUser(new User(name, admin, now), first.stored());
        } catch (Conflict e) {
            throw new Conflict("user '" + name + "' already exists");
        }
        LOG.info("user {} added{} by {}", name, admin ? " as an admin" : "", caller.user());
        return new UserBody(name, admin, now, first.plaintext());
    }

    private List<UserBody> users(Caller caller) {
        requireAdmin(caller, "list users");
        return accounts.users().stream().map(u -> new UserBody(u.name(), u.admin(), u.createdAt(), null)).toList();
    }

    private TeamBody createTeam(RoutingContext ctx) {
        Caller caller = Caller.of(ctx);
        CreateTeam request = body(ctx, CreateTeam.class);
        String name = userName(request.name(), "name");
        Team team = new Team(name, List.of(caller.user()), clock.instant());
        try {
            accounts.createTeam(team);
        } catch (Conflict e) {
            throw new Conflict("team '" + name + "' already exists");
        }
        LOG.info("team {} made by {}", name, caller.user());
        return TeamBody.of(team);
    }

    private List<TeamBody> teams(Caller caller) {
        return accounts.teams().stream().filter(t -> caller.mayAccessTeam(t.name())).map(TeamBody::of).toList();
    }

    private TeamBody addMember(RoutingContext ctx) {
        Caller caller = Caller.of(ctx);
        Versioned<Team> team = team(ctx, caller);
        AddMember request = body(ctx, AddMember.class);
        String user = userName(request.user(), "user");
        if (accounts.user(user).isEmpty()) {
            throw new Invalid(422, "user: no user '" + user + "' (an admin adds users with `slipway users:add`)");
        }
        Team next = team.value().with(user);
        accounts.updateTeam(next, team.version());
        LOG.info("user {} added to team {} by {}", user, next.name(), caller.user());
        return TeamBody.of(next);
    }

    private TeamBody removeMember(RoutingContext ctx) {
        Caller caller = Caller.of(ctx);
        Versioned<Team> team = team(ctx, caller);
        String user = ctx.pathParam("user");
        if (!team.value().has(user)) {
            throw new NotFound("user '" + user + "' is not a member of team '" + team.value().name() + "'");
        }
        Team next = team.value().without(user);
        accounts.updateTeam(next, team.version());
        LOG.info("user {} removed from team {} by {}", user, next.name(), caller.user());
        return TeamBody.of(next);
    }

    /** The team of the path, when the caller is an admin or one of its members. */
    private Versioned<Team> team(RoutingContext ctx, Caller caller) {
        String name = ctx.pathParam("team");
        NotFound none = new NotFound("team '" + name + "' does not exist");
        if (!User.NAME.matcher(name).matches()) {
            throw none;
        }
        Versioned<Team> team = accounts.team(name).orElseThrow(() -> none);
        if (!caller.mayAccessTeam(name)) {
            throw Denied.forbidden("team '" + name + "' is not yours: only its members and admins change it");
        }
        return team;
    }

    private static Caller requireAdmin(Caller caller, String what) {
        if (!caller.admin()) {
            throw Denied.forbidden("only admins may " + what + "; you are user '" + caller.user() + "'");
        }
        return caller;
    }

    private static <T> T body(RoutingContext ctx, Class<T> type) {
        T body = Handlers.body(ctx, type);
        if (body == null) {
            throw new Invalid(422, "the body must be a JSON object");
        }
        return body;
    }

    private static String userName(String name, String field) {
        if (name == null || !User.NAME.matcher(name).matches()) {
            throw new Invalid(422, field + ": '" + (name == null ? "" : name) + "' is not a valid name: use "
                    + "lowercase letters, digits and dashes, starting with a letter, at most 30 characters");
        }
        return name;
    }

    private static String description(String description) {
        String text = description == null ? "" : description.strip();
        if (text.length() > StoredToken.MAX_DESCRIPTION || text.chars().anyMatch(Character::isISOControl)) {
            throw new Invalid(422, "description: at most " + StoredToken.MAX_DESCRIPTION
                    + " characters on one line");
        }
        return text;
    }
}
