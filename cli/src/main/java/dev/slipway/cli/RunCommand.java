package dev.slipway.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.slipway.zk.Json;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code slipway run -- COMMAND}: a one-off dyno, as Heroku's {@code heroku run}. Its output
 * (stdout and stderr) is streamed to this terminal as it is printed, and the CLI exits with the
 * command's exit code once it has ended; {@code --detach} prints the dyno's name and returns.
 * Ctrl-C stops the dyno.
 */
@Command(name = "run", description = "Run a one-off command in a new dyno with the app's release and config, "
        + "e.g. `slipway run -a APP -- rake db:migrate`; exits with the command's exit code.")
final class RunCommand extends AppCommand {
    /** The exit code when {@code --timeout} stopped the command, as coreutils' {@code timeout}. */
    static final int TIMED_OUT = 124;

    @Option(names = "--size", paramLabel = "SIZE", description = "the dyno's size (default: the app's web size)")
    String size;

    @Option(names = {"-e", "--env"}, paramLabel = "K=V", description = "a variable to set over the app's config "
            + "(repeatable)")
    List<String> env = new ArrayList<>();

    @Option(names = {"-d", "--detach"}, description = "print the dyno's name and return at once; its output goes to "
            + "the app's log")
    boolean detach;

    @Option(names = "--timeout", paramLabel = "SECONDS", description = "stop the command after this many seconds")
    Long timeout;

    @Parameters(paramLabel = "COMMAND", arity = "0..*", description = "the command and its arguments (after --)")
    List<String> command = new ArrayList<>();

    @Override
    public Integer call() {
        if (command.isEmpty()) {
            throw new UsageError("no command given: slipway run -a APP -- COMMAND [ARGS...]");
        }
        if (timeout != null && timeout < 1) {
            throw new UsageError("--timeout: a number of seconds of at least 1, not " + timeout);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        String line = String.join(" ", command);
        body.put("command", line);
        if (size != null) {
            body.put("size", size);
        }
        body.put("env", variables());
        if (timeout != null) {
            body.put("time_to_live", timeout);
        }
        body.put("attach", !detach);
        ApiClient client = api.client();
        JsonNode dyno = client.post("/apps/" + app + "/dynos", body);
        String name = dyno.path("name").asText();
        if (detach) {
            System.err.println("Running `" + line + "` on " + app + "... " + name + " (detached: `slipway logs -a "
                    + app + " --dyno " + name + "` shows its output, `slipway ps -a " + app + "` its state)");
            System.out.println(name);
            return 0;
        }
        System.err.println("Running `" + line + "` on " + app + "... " + name);
        return attach(client, name);
    }

    private Map<String, String> variables() {
        Map<String, String> variables = new LinkedHashMap<>();
        for (String pair : env) {
            int equals = pair.indexOf('=');
            if (equals <= 0) {
                throw new UsageError("--env: give K=V, not '" + pair + "'");
            }
            variables.put(pair.substring(0, equals), pair.substring(equals + 1));
        }
        return variables;
    }

    /** Streams the dyno's output until it ends; stops it when this CLI is stopped first (Ctrl-C). */
    private int attach(ApiClient client, String name) {
        long started = System.nanoTime();
        AtomicBoolean ended = new AtomicBoolean();
        Thread stopper = new Thread(() -> {
            if (!ended.get()) {
                try {
                    client.delete("/apps/" + app + "/dynos/" + name);
                    System.err.println("Stopped " + name + ".");
                } catch (CliError e) {
                    System.err.println("error: could not stop " + name + ": " + e.getMessage());
                }
            }
        }, "slipway-run-stop");
        Runtime.getRuntime().addShutdownHook(stopper);
        AtomicReference<JsonNode> exit = new AtomicReference<>();
        PrintStream out = System.out;
        try {
            ApiClient.StreamEnd end = client.events("/apps/" + app + "/dynos/" + name + "/output", null,
                    (event, data) -> {
                        if ("exit".equals(event)) {
                            exit.set(parse(data));
                        } else {
                            out.println(data);
                            out.flush();
                        }
                    }, () -> { });
            if (exit.get() == null) {
                // The stream broke off before the end: what the dyno says now.
                JsonNode row = find(client.get("/apps/" + app + "/dynos"), name);
                if (row == null || !row.path("exit_code").isNumber()) {
                    throw new CliError("lost the output of " + name + (end.why() == null ? "" : ": " + end.why())
                            + "; it may still run: `slipway ps -a " + app + "`");
                }
                exit.set(row);
            }
        } finally {
            ended.set(true);
            try {
                Runtime.getRuntime().removeShutdownHook(stopper);
            } catch (IllegalStateException e) {
                // Shutting down already: the hook stops the dyno.
            }
        }
        JsonNode result = exit.get();
        long elapsedSeconds = (System.nanoTime() - started) / 1_000_000_000L;
        // Stopped at its deadline: killed while running (a non-zero code) or before it even started
        // (no code: a slow launch can take the whole time to live, which counts from the request).
        boolean ranClean = result.path("exit_code").isNumber() && result.path("exit_code").asInt() == 0;
        if (timeout != null && elapsedSeconds >= timeout && !ranClean) {
            throw new CliError(name + " timed out: stopped after " + timeout + " s", TIMED_OUT);
        }
        if (!result.path("exit_code").isNumber()) {
            throw new CliError(name + " ended without an exit code: " + result.path("message").asText());
        }
        return result.path("exit_code").asInt();
    }

    private static JsonNode find(JsonNode dynos, String name) {
        for (JsonNode row : dynos) {
            if (name.equals(row.path("name").asText())) {
                return row;
            }
        }
        return null;
    }

    private static JsonNode parse(String data) {
        try {
            return Json.mapper().readTree(data);
        } catch (IOException e) {
            return Json.mapper().createObjectNode().put("message", data);
        }
    }
}
