package dev.slipway.framework.auth;

import dev.slipway.zk.App;
import io.vertx.ext.web.RoutingContext;
import java.util.Objects;
import java.util.Set;

/**
 * Who made an API call, as its token says: put into the {@link RoutingContext} by the API's
 * authentication before any resource runs ({@link #of(RoutingContext)}). Calls on one app
 * ({@code /apps/{app}/...}, {@code /git/{app}.git/...}) have been checked against
 * {@link #mayAccess(App)} already; a handler that shows several apps (a list, an event stream)
 * filters them with it.
 *
 * @param user  the user's name
 * @param admin whether the user is an admin: it sees and changes everything
 * @param teams the teams the user is a member of
 */
public record Caller(String user, boolean admin, Set<String> teams) {
    private static final String KEY = Caller.class.getName();

    public Caller {
        Objects.requireNonNull(user, "user");
        teams = Set.copyOf(teams);
    }

    /** Whether this caller may see and change {@code app}: an admin, or a member of its team. */
    public boolean mayAccess(App app) {
        return admin || (app.team() != null && teams.contains(app.team()));
    }

    /** Whether this caller may act for {@code team}'s apps and members. */
    public boolean mayAccessTeam(String team) {
        return admin || teams.contains(team);
    }

    /** The caller of this call; {@link IllegalStateException} on a public path (no caller). */
    public static Caller of(RoutingContext ctx) {
        Caller caller = ctx.get(KEY);
        if (caller == null) {
            throw new IllegalStateException("no authenticated caller for " + ctx.normalizedPath());
        }
        return caller;
    }

    /** Puts the caller into the call's context (the authentication's job). */
    public void attachTo(RoutingContext ctx) {
        ctx.put(KEY, this);
    }
}
