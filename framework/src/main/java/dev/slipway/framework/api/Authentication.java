package dev.slipway.framework.api;

import dev.slipway.framework.auth.Caller;
import dev.slipway.framework.auth.Signer;
import dev.slipway.framework.auth.Tokens;
import dev.slipway.zk.AccountStore;
import dev.slipway.zk.App;
import dev.slipway.zk.AppStore;
import dev.slipway.zk.StoredToken;
import dev.slipway.zk.Team;
import dev.slipway.zk.Unavailable;
import dev.slipway.zk.User;
import dev.slipway.zk.ZkConnection;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.Base64;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * In front of every route but {@code /health}, {@code /ready} and {@code /openapi.json}: who is
 * calling, and whether it may. A call carries {@code Authorization: Bearer <token>}, or the token as
 * the password of HTTP Basic (as git sends it); an unknown, malformed, revoked or missing one is
 * answered 401 with {@code WWW-Authenticate} (Basic for {@code /git/}, so that git asks its
 * credential helper). A token in the URL's query is refused (400) before anything else, and never
 * logged. The caller ({@link Caller}) goes into the call's context; a call on one app
 * ({@code /apps/{app}/...}, {@code /git/{app}.git/...}) is answered 403 here unless the caller
 * {@link Caller#mayAccess may access} it. Instances' log lines take only their task's credential,
 * routers' lines only a router's; slugs and the executor jar only a signed URL (see {@link Signer}).
 */
final class Authentication implements Handler<RoutingContext> {
    private static final Pattern PUBLIC = Pattern.compile("/health/?|/ready/?|/openapi\\.json");
    private static final Pattern DOWNLOADS = Pattern.compile("/slugs/.*|/executor/.*");
    private static final Pattern LOG_LINES = Pattern.compile("/apps/([^/]+)/log-lines/?");
    private static final Pattern ROUTER_LOG_LINES = Pattern.compile("/router-log-lines/?");
    private static final Pattern ONE_APP = Pattern.compile("/apps/([^/]+)(/.*)?");
    private static final Pattern GIT = Pattern.compile("/git/([^/]+?)(\\.git)?(/.*)?");
    private static final String REALM = "realm=\"slipway\"";

    /** How long a verified token is remembered for calls made while ZooKeeper is unreachable. */
    static final Duration REMEMBERED = Duration.ofMinutes(10);

    private final AccountStore accounts;
    private final AppStore apps;
    private final ZkConnection zookeeper;
    private final Signer signer;
    private final Clock clock;
    /**
     * Tokens verified lately, by id, and the teams of apps checked lately: what lets a call that
     * needs no ZooKeeper (an app's logs) be answered while it is away. Read only then; a token
     * revoked here is forgotten at once.
     */
    private final Map<String, Remembered> remembered = new ConcurrentHashMap<>();
    private final Map<String, String> appTeams = new ConcurrentHashMap<>();

    private record Remembered(StoredToken token, Caller caller, Instant at) {
    }

    Authentication(AppStore apps, Signer signer, Clock clock) {
        this.accounts = apps.accounts();
        this.apps = apps;
        this.zookeeper = apps.connection();
        this.signer = signer;
        this.clock = clock;
    }

    /** Forgets token {@code id} (revoked): no call is let through on what was remembered of it. */
    void forget(String id) {
        remembered.remove(id);
    }

    @Override
    public void handle(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        if (tokenInQuery(request.query())) {
            Uploads.refuseEarly(ctx, Problems.problem(400, "token-in-url", "Token in URL refused",
                    "tokens are never taken in a URL, where logs and histories keep them: send it in the "
                            + "Authorization header (Bearer), and revoke the one just sent (`slipway tokens:revoke`)"));
            return;
        }
        String path = ctx.normalizedPath();
        if (PUBLIC.matcher(path).matches()) {
            ctx.next();
            return;
        }
        if (DOWNLOADS.matcher(path).matches()) {
            download(ctx, path);
            return;
        }
        String credential = credential(request);
        Matcher logLines = LOG_LINES.matcher(path);
        if (logLines.matches() && request.method() == HttpMethod.POST) {
            logLines(ctx, credential, logLines.group(1));
            return;
        }
        if (ROUTER_LOG_LINES.matcher(path).matches() && request.method() == HttpMethod.POST) {
            routerLogLines(ctx, credential);
            return;
        }
        if (credential == null) {
            unauthenticated(ctx, path, false, "this call needs a token: send `Authorization: Bearer <token>` "
                    + "(`slipway login` stores one for the CLI)");
            return;
        }
        Optional<Tokens.Presented> presented = Tokens.parse(credential);
        if (presented.isEmpty()) {
            unauthenticated(ctx, path, true, "the token is malformed (Slipway's tokens look like slw_<id>_<secret>): "
                    + "run `slipway login` with a token `slipway tokens:create` made");
            return;
        }
        String app = appOf(path);
        if (!zookeeper.connected()) {
            // The ZooKeeper gate let this call through without ZooKeeper: only what was remembered answers.
            try {
                rememberedCaller(presented.get(), app).attachTo(ctx);
            } catch (Denied | Unavailable refused) {
                Uploads.refuseEarly(ctx, Problems.of(refused));
                return;
            }
            ctx.next();
            return;
        }
        boolean withBody = request.getHeader("Content-Length") != null && !"0".equals(request.getHeader("Content-Length"))
                || request.getHeader("Transfer-Encoding") != null;
        request.pause();
        ZooKeeperGate.blocking(ctx, () -> caller(presented.get(), app)).onComplete(result -> {
            if (result.failed()) {
                if (result.cause() instanceof Denied denied && denied.status() == 401) {
                    unauthenticated(ctx, path, true, denied.getMessage());
                } else {
                    Uploads.refuseEarly(ctx, Problems.of(result.cause()));
                }
                return;
            }
            result.result().attachTo(ctx);
            if (!withBody) {
                request.resume();
            }
            ctx.next();
        });
    }

    /** Blocking: the token's user, its teams, and whether it may reach {@code app} (null: no app in the path). */
    private Caller caller(Tokens.Presented presented, String app) {
        Denied unknown = Denied.unauthenticated("the token is unknown or was revoked: run `slipway login` with a "
                + "valid one");
        StoredToken stored = accounts.token(presented.id()).filter(t -> Tokens.matches(t, presented))
                .orElseThrow(() -> unknown);
        User user = accounts.user(stored.user()).orElseThrow(() -> unknown);
        Caller caller = new Caller(user.name(), user.admin(), accounts.teamsOf(user.name()).stream().map(Team::name)
                .collect(Collectors.toSet()));
        remembered.put(stored.id(), new Remembered(stored, caller, clock.instant()));
        if (app != null && AppName.isValid(app)) {
            Optional<App> found = apps.get(app).map(v -> v.value());
            if (found.isPresent()) {
                appTeams.put(app, found.get().team() == null ? "" : found.get().team());
                check(caller, found.get());
            }
        }
        return caller;
    }

    /** The caller a token was lately verified as, while ZooKeeper is unreachable; 503 when it was not. */
    private Caller rememberedCaller(Tokens.Presented presented, String app) {
        Remembered seen = remembered.get(presented.id());
        if (seen == null || seen.at().plus(REMEMBERED).isBefore(clock.instant())
                || !Tokens.matches(seen.token(), presented)) {
            throw new Unavailable("ZooKeeper is unreachable, and this token cannot be checked without it: the API "
                    + "answers again as soon as it is back");
        }
        if (app != null && !seen.caller().admin()) {
            String team = appTeams.get(app);
            if (team == null) {
                throw new Unavailable("ZooKeeper is unreachable: the API answers again as soon as it is back");
            }
            check(seen.caller(), App.named(app).team(team.isEmpty() ? null : team).build());
        }
        return seen.caller();
    }

    private static void check(Caller caller, App app) {
        if (!caller.mayAccess(app)) {
            throw Denied.forbidden("app '" + app.name() + "' is not yours: it belongs to "
                    + (app.team() == null ? "no team (only admins reach it)" : "a team you are not a member of")
                    + "; ask an admin or a member to add you");
        }
    }

    private void logLines(RoutingContext ctx, String credential, String app) {
        if (credential == null) {
            unauthenticated(ctx, ctx.normalizedPath(), false, "log lines are posted by instances, with their "
                    + "task's credential");
            return;
        }
        Optional<String> task = signer.taskOf(credential);
        if (task.isEmpty()) {
            if (Tokens.parse(credential).isPresent()) {
                Uploads.refuseEarly(ctx, Problems.of(Denied.forbidden("log lines are posted by instances only, "
                        + "with their task's credential; a user's token cannot post them")));
            } else {
                unauthenticated(ctx, ctx.normalizedPath(), true, "the task credential is not valid");
            }
            return;
        }
        if (!task.get().startsWith(app + ".")) {
            Uploads.refuseEarly(ctx, Problems.of(Denied.forbidden("this task credential is not for an instance of "
                    + "app '" + app + "'")));
            return;
        }
        ctx.next();
    }

    private void routerLogLines(RoutingContext ctx, String credential) {
        if (credential == null) {
            unauthenticated(ctx, ctx.normalizedPath(), false, "router log lines are posted by routers, with a "
                    + "router's credential");
            return;
        }
        if (signer.routerOf(credential).isPresent()) {
            ctx.next();
            return;
        }
        if (Tokens.parse(credential).isPresent() || signer.taskOf(credential).isPresent()) {
            Uploads.refuseEarly(ctx, Problems.of(Denied.forbidden("router log lines are posted by routers only, "
                    + "with a router's credential; a user's token or a task's cannot post them")));
        } else {
            unauthenticated(ctx, ctx.normalizedPath(), true, "the router credential is not valid");
        }
    }

    private void download(RoutingContext ctx, String path) {
        HttpServerRequest request = ctx.request();
        Signer.Verdict verdict = signer.verifyDownload(path, request.getParam("expires"), request.getParam("signature"),
                clock.instant());
        switch (verdict) {
            case VALID -> ctx.next();
            case MISSING -> unauthenticated(ctx, path, false, "downloads need the signed URL the framework gives "
                    + "each launch (?expires=...&signature=...)");
            case EXPIRED -> Problems.send(ctx, Problems.of(Denied.forbidden("this download URL has expired: the "
                    + "framework signs a new one for each launch")));
            case INVALID -> Problems.send(ctx, Problems.of(Denied.forbidden("this download URL's signature is not "
                    + "valid for it")));
        }
    }

    private static void unauthenticated(RoutingContext ctx, String path, boolean invalid, String detail) {
        String scheme = path.startsWith("/git/") ? "Basic " + REALM
                : "Bearer " + REALM + (invalid ? ", error=\"invalid_token\"" : "");
        ctx.response().putHeader("WWW-Authenticate", scheme);
        Uploads.refuseEarly(ctx, Problems.of(Denied.unauthenticated(detail)));
    }

    /** The token of {@code Authorization: Bearer <token>} or {@code Basic base64(any:<token>)}; null without. */
    static String credential(HttpServerRequest request) {
        String header = request.getHeader("Authorization");
        if (header == null) {
            return null;
        }
        header = header.strip();
        int space = header.indexOf(' ');
        if (space < 0) {
            return "";
        }
        String scheme = header.substring(0, space).toLowerCase(Locale.ROOT);
        String value = header.substring(space + 1).strip();
        if (scheme.equals("bearer")) {
            return value;
        }
        if (scheme.equals("basic")) {
            try {
                String pair = new String(Base64.getDecoder().decode(value), StandardCharsets.UTF_8);
                int colon = pair.indexOf(':');
                return colon < 0 ? "" : pair.substring(colon + 1);
            } catch (IllegalArgumentException e) {
                return "";
            }
        }
        return "";
    }

    /** The app a path is about, or null. */
    static String appOf(String path) {
        Matcher app = ONE_APP.matcher(path);
        if (app.matches()) {
            return app.group(1);
        }
        Matcher git = GIT.matcher(path);
        return git.matches() ? git.group(1) : null;
    }

    private static boolean tokenInQuery(String query) {
        if (query == null || query.isEmpty()) {
            return false;
        }
        for (String pair : query.split("&")) {
            int equals = pair.indexOf('=');
            String name = equals < 0 ? pair : pair.substring(0, equals);
            try {
                name = URLDecoder.decode(name, StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                // A bad escape: judged as written.
            }
            String lower = name.toLowerCase(Locale.ROOT);
            if (lower.equals("token") || lower.equals("access_token")) {
                return true;
            }
        }
        return false;
    }
}
