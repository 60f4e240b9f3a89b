package dev.slipway.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code login}, {@code logout}, {@code tokens}, {@code tokens:create}, {@code tokens:revoke},
 * {@code users}, {@code users:add}, {@code teams}, {@code teams:create}, {@code teams:add-member},
 * {@code teams:remove-member}. A token is read from a prompt or stdin, never from the command line.
 */
final class AuthCommands {
    private AuthCommands() {
    }

    @Command(name = "login", description = "Store a token for an API (read from a prompt that does not echo, or "
            + "from stdin), after checking it with the API.")
    static final class Login implements Callable<Integer> {
        @Mixin
        ApiOptions api;

        @Override
        public Integer call() throws IOException {
            String url = Credentials.key(api.url());
            String token = readToken("Token for " + url + ": ");
            if (token == null || token.isBlank()) {
                throw new CliError("no token given: paste one (`slipway tokens:create` makes one), or pipe it in");
            }
            JsonNode account = api.client(token.strip()).get("/account");
            Credentials credentials = Credentials.ofThisUser();
            credentials.put(url, token.strip());
            System.out.println("Logged in to " + url + " as " + account.path("name").asText()
                    + (account.path("admin").asBoolean() ? " (admin)" : "") + "; token stored in "
                    + credentials.file());
            return 0;
        }

        private static String readToken(String prompt) throws IOException {
            Console console = System.console();
            if (console != null && System.in.available() == 0) {
                char[] typed = console.readPassword(prompt);
                return typed == null ? null : new String(typed);
            }
            return new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
        }
    }

    @Command(name = "logout", description = "Forget the stored token of an API.")
    static final class Logout implements Callable<Integer> {
        @Mixin
        ApiOptions api;

        @Override
        public Integer call() {
            String url = Credentials.key(api.url());
            boolean had = Credentials.ofThisUser().remove(url);
            System.out.println(had ? "Logged out of " + url + " (the token itself still works until revoked: "
                    + "`slipway tokens:revoke ID`)" : "No token was stored for " + url);
            return 0;
        }
    }

    @Command(name = "tokens", description = "List your API tokens (never their secrets).")
    static final class Tokens implements Callable<Integer> {
        @Mixin
        ApiOptions api;
        @Mixin
        JsonOption output;
        @Option(names = "--user", description = "another user's tokens (admins only)")
        String user;

        @Override
        public Integer call() {
            output.list(api.client().get(user == null ? "/tokens" : "/tokens?user=" + user), "No tokens.",
                    Table.of("ID", "User", "Created", "Description"), token -> new String[] {token.path("id").asText(),
                            token.path("user").asText(), token.path("created_at").asText(),
                            token.path("description").asText()});
            return 0;
        }
    }

    @Command(name = "tokens:create", description = "Make a new API token for yourself; it is shown once.")
    static final class TokensCreate implements Callable<Integer> {
        @Mixin
        ApiOptions api;
        @Option(names = "--description", description = "what the token is for (e.g. the CI server)")
        String description;

        @Override
        public Integer call() {
            JsonNode token = api.client().post("/tokens", Map.of("description", description == null ? ""
                    : description));
            System.err.println("Token " + token.path("id").asText() + " made; it is shown once, here:");
            System.out.println(token.path("token").asText());
            return 0;
        }
    }

    @Command(name = "tokens:revoke", description = "Revoke an API token: it stops working at once.")
    static final class TokensRevoke implements Callable<Integer> {
        @Mixin
        ApiOptions api;
        @Parameters(paramLabel = "ID", description = "the token's id (as `slipway tokens` lists it)")
        String id;

        @Override
        public Integer call() {
            api.client().delete("/tokens/" + id);
            System.out.println("Token " + id + " revoked.");
            return 0;
        }
    }

    @Command(name = "users", description = "List the users (admins only).")
    static final class Users implements Callable<Integer> {
        @Mixin
        ApiOptions api;
        @Mixin
        JsonOption output;

        @Override
        public Integer call() {
            output.list(api.client().get("/users"), "No users.", Table.of("Name", "Role"),
                    user -> new String[] {user.path("name").asText(), user.path("admin").asBoolean() ? "admin" : "user"});
            return 0;
        }
    }

    @Command(name = "users:add", description = "Add a user (admins only); its first token is shown once.")
    static final class UsersAdd implements Callable<Integer> {
        @Mixin
        ApiOptions api;
        @Parameters(paramLabel = "NAME", description = "lowercase letters, digits and dashes")
        String name;
        @Option(names = "--admin", description = "make the user an admin: it sees and changes everything")
        boolean admin;

        @Override
        public Integer call() {
            JsonNode user = api.client().post("/users", Map.of("name", name, "admin", admin));
            System.err.println("User " + user.path("name").asText() + (admin ? " (admin)" : "") + " added. Its "
                    + "token, shown once (hand it over privately; it runs `slipway login` with it):");
            System.out.println(user.path("token").asText());
            return 0;
        }
    }

    @Command(name = "teams", description = "List your teams and their members (admins: every team).")
    static final class Teams implements Callable<Integer> {
        @Mixin
        ApiOptions api;
        @Mixin
        JsonOption output;

        @Override
        public Integer call() {
            output.list(api.client().get("/teams"), "No teams: create one with `slipway teams:create NAME`.",
                    Table.of("Team", "Members"), team -> {
                        java.util.List<String> members = new java.util.ArrayList<>();
                        team.path("members").forEach(m -> members.add(m.asText()));
                        return new String[] {team.path("name").asText(), String.join(", ", members)};
                    });
            return 0;
        }
    }

    @Command(name = "teams:create", description = "Create a team; you become its member.")
    static final class TeamsCreate implements Callable<Integer> {
        @Mixin
        ApiOptions api;
        @Parameters(paramLabel = "NAME", description = "lowercase letters, digits and dashes")
        String name;

        @Override
        public Integer call() {
            JsonNode team = api.client().post("/teams", Map.of("name", name));
            System.out.println("Team " + team.path("name").asText() + " created.");
            return 0;
        }
    }

    /** A verb on one member of one team: {@code TEAM USER}. */
    abstract static class MemberCommand implements Callable<Integer> {
        @Mixin
        ApiOptions api;
        @Parameters(index = "0", paramLabel = "TEAM")
        String team;
        @Parameters(index = "1", paramLabel = "USER")
        String user;
    }

    @Command(name = "teams:add-member", description = "Add a user to a team: it sees and changes the team's apps.")
    static final class TeamsAddMember extends MemberCommand {
        @Override
        public Integer call() {
            api.client().post("/teams/" + team + "/members", Map.of("user", user));
            System.out.println("Added " + user + " to team " + team + ".");
            return 0;
        }
    }

    @Command(name = "teams:remove-member", description = "Remove a user from a team.")
    static final class TeamsRemoveMember extends MemberCommand {
        @Override
        public Integer call() {
            api.client().delete("/teams/" + team + "/members/" + user);
            System.out.println("Removed " + user + " from team " + team + ".");
            return 0;
        }
    }
}
