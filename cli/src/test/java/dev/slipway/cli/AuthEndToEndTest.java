package dev.slipway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * The CLI with and without a token, against all of Slipway in this JVM: `up` stored the admin's
 * token; login, tokens, users and teams as a user types them; and no token in any log line.
 */
class AuthEndToEndTest {
    @RegisterExtension
    static final SlipwayForTests slipway = new SlipwayForTests();
    static final ListAppender<ILoggingEvent> LOGS = new ListAppender<>();
    /** Every token a test saw, looked for in the logs at the end. */
    static final List<String> TOKENS = new ArrayList<>();

    @BeforeAll
    static void watchTheLogs() {
        // Every line Slipway logs, at every level, into LOGS only (the console keeps its WARN).
        LOGS.start();
        slipwaysLogger().addAppender(LOGS);
        slipwaysLogger().setLevel(ch.qos.logback.classic.Level.DEBUG);
        slipwaysLogger().setAdditive(false);
        TOKENS.add(slipway.adminToken());
    }

    @AfterAll
    static void noTokenWasEverLogged() {
        slipwaysLogger().detachAppender(LOGS);
        slipwaysLogger().setLevel(null);
        slipwaysLogger().setAdditive(true);
        assertThat(LOGS.list).isNotEmpty();
        for (ILoggingEvent event : LOGS.list) {
            for (String token : TOKENS) {
                assertThat(event.getFormattedMessage()).doesNotContain(token);
                assertThat(String.valueOf(event.getThrowableProxy() == null ? ""
                        : event.getThrowableProxy().getMessage())).doesNotContain(token);
            }
        }
    }

    @Test
    void upStoredTheAdminsTokenInAPrivateCredentialsFile() throws Exception {
        Path file = Credentials.ofThisUser().file();

        assertThat(Files.readString(file)).contains(slipway.api() + " " + slipway.adminToken());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(Cli.ok(slipway.api(), "apps")).doesNotContain("error");
    }

    @Test
    void withoutATokenTheCliSaysToLogInAndLoginStoresOne() throws Exception {
        // The same API under another name: the credentials file has no token for it.
        String other = slipway.api().replace("127.0.0.1", "localhost");
        Credentials.ofThisUser().remove(other);

        Cli.Result refused = Cli.run(other, "apps");
        assertThat(refused.exitCode()).isNotZero();
        assertThat(refused.err()).contains("slipway login");

        Cli.Result wrong = Cli.runWithInput(other, "slw_0123456789abcdef_" + "A".repeat(43) + "\n", "login");
        assertThat(wrong.exitCode()).isNotZero();
        assertThat(Credentials.ofThisUser().get(other)).isEmpty();

        Cli.Result login = Cli.runWithInput(other, slipway.adminToken() + "\n", "login");
        assertThat(login.exitCode()).as(login.toString()).isZero();
        assertThat(login.out()).contains("Logged in to " + other + " as admin");
        assertThat(login.out() + login.err()).doesNotContain(slipway.adminToken());
        assertThat(Cli.run(other, "apps").exitCode()).isZero();

        assertThat(Cli.ok(other, "logout")).contains("Logged out");
        assertThat(Cli.run(other, "apps").exitCode()).isNotZero();
    }

    @Test
    void aTokenMadeWithTheCliWorksUntilRevoked() throws Exception {
        String other = slipway.api().replace("127.0.0.1", "localhost");
        Cli.Result created = Cli.run(slipway.api(), "tokens:create", "--description", "for CI");
        assertThat(created.exitCode()).as(created.toString()).isZero();
        String token = created.out().strip();
        TOKENS.add(token);
        String id = token.split("_")[1];
        assertThat(Cli.ok(slipway.api(), "tokens")).contains(id).contains("for CI").doesNotContain(token);
        assertThat(dev.slipway.zk.Json.mapper().readTree(Cli.ok(slipway.api(), "tokens", "--json")).findValuesAsText("id"))
                .contains(id);
        assertThat(Cli.runWithInput(other, token + "\n", "login").exitCode()).isZero();

        assertThat(Cli.ok(slipway.api(), "tokens:revoke", id)).contains("revoked");

        Cli.Result after = Cli.run(other, "apps");
        assertThat(after.exitCode()).isNotZero();
        assertThat(after.err()).contains("slipway login");
        Credentials.ofThisUser().remove(other);
    }

    @Test
    void usersSeeOnlyTheirTeamsApps() throws Exception {
        String api = slipway.api();
        String other = api.replace("127.0.0.1", "localhost");
        Cli.Result added = Cli.run(api, "users:add", "erin");
        assertThat(added.exitCode()).as(added.toString()).isZero();
        String erin = added.out().strip();
        TOKENS.add(erin);
        assertThat(Cli.ok(api, "users")).contains("admin").contains("erin");
        Cli.ok(api, "teams:create", "red");
        Cli.ok(api, "apps:create", "red-app", "--team", "red");
        Cli.ok(api, "apps:create", "main-app", "--team", "main");

        assertThat(Cli.runWithInput(other, erin + "\n", "login").exitCode()).isZero();
        assertThat(Cli.ok(other, "apps")).doesNotContain("red-app").doesNotContain("main-app");
        Cli.Result notYours = Cli.run(other, "apps:info", "-a", "red-app");
        assertThat(notYours.exitCode()).isNotZero();
        assertThat(notYours.err()).contains("not yours").contains("red-app");
        assertThat(Cli.run(other, "users:add", "mallory").err()).contains("only admins");

        Cli.ok(api, "teams:add-member", "red", "erin");
        assertThat(Cli.ok(other, "apps")).contains("red-app").doesNotContain("main-app");
        assertThat(Cli.ok(other, "teams")).contains("red").contains("erin");
        Cli.ok(api, "teams:remove-member", "red", "erin");
        assertThat(Cli.ok(other, "apps")).doesNotContain("red-app");
        Credentials.ofThisUser().remove(other);
    }

    @Test
    void anAdminMintsARoutersCredentialIntoAPrivateFileAndTheApiTakesTheRoutersLinesWithIt(@TempDir Path dir)
            throws Exception {
        Path file = dir.resolve("router-log.token");

        Cli.Result written = Cli.run(slipway.api(), "router-credentials:create", "edge-1", "--output", file.toString());

        assertThat(written.exitCode()).as(written.toString()).isZero();
        String credential = Files.readString(file).strip();
        TOKENS.add(credential);
        assertThat(credential).startsWith("slwrouter.edge-1.");
        assertThat(written.out()).contains(file.toString()).contains("--log-token-file").doesNotContain(credential);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        Cli.ok(slipway.api(), "apps:create", "edged", "--team", "main");
        HttpResponse<String> shipped = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(slipway.api() + "/router-log-lines"))
                .header("Authorization", "Bearer " + credential)
                .header("Content-Type", "application/x-slipway-router-log-lines; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofString("edged 2026-12-07T12:00:00.000000+00:00 at=info status=200\n"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(shipped.statusCode()).as(shipped.body()).isEqualTo(204);
        assertThat(Cli.ok(slipway.api(), "logs", "-a", "edged", "-s", "router")).contains("at=info status=200");

        Cli.Result printed = Cli.run(slipway.api(), "router-credentials:create", "edge-2");
        assertThat(printed.exitCode()).as(printed.toString()).isZero();
        TOKENS.add(printed.out().strip());
        assertThat(printed.out().strip()).startsWith("slwrouter.edge-2.");
        assertThat(printed.err()).contains("shown once");

        Cli.Result bad = Cli.run(slipway.api(), "router-credentials:create", "Edge.1", "--output",
                dir.resolve("bad.token").toString());
        assertThat(bad.exitCode()).isNotZero();
        assertThat(bad.err()).contains("router must name the router");
        assertThat(dir.resolve("bad.token")).doesNotExist();
    }

    @Test
    void aTokenInAUrlIsRefusedAndNotLogged() throws Exception {
        var answer = TestHttp.get(URI.create(slipway.api() + "/apps?token=" + slipway.adminToken()));

        assertThat(answer.statusCode()).isEqualTo(400);
        assertThat(answer.body()).doesNotContain(slipway.adminToken());
    }

    private static Logger slipwaysLogger() {
        return ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger("dev.slipway");
    }
}
