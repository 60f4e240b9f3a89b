package dev.slipway.cli;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code logs}: an app's recent log lines, and with {@code --tail} the new ones as they come, as Heroku's. */
@Command(name = "logs", description = "Show an app's recent log lines; with --tail, keep printing new ones "
        + "until Ctrl-C.")
final class LogsCommand extends AppCommand {
    /** The framework keeps this many lines per app. */
    static final int MAX_LINES = 1500;

    @Option(names = {"-n", "--num"}, paramLabel = "N", description = "how many recent lines to show "
            + "(default 100, at most " + MAX_LINES + ")")
    Integer num;
    @Option(names = {"-t", "--tail"}, description = "keep printing new lines as they come")
    boolean tail;
    @Option(names = {"-d", "--dyno"}, paramLabel = "DYNO", description = "only this instance (web.1) or "
            + "process type (web)")
    String dyno;
    @Option(names = {"-s", "--source"}, paramLabel = "SOURCE", description = "only the app's own lines (app), "
            + "Slipway's, the router's included (slipway), or only the router's (router)")
    String source;

    @Override
    public Integer call() {
        if (num != null && (num < 0 || num > MAX_LINES)) {
            throw new CliError("-n must be a number from 0 to " + MAX_LINES + ", not " + num);
        }
        StringBuilder path = new StringBuilder("/apps/").append(app).append("/logs?lines=")
                .append(num == null ? 100 : num);
        if (tail) {
            path.append("&tail=true");
        }
        if (dyno != null) {
            path.append("&dyno=").append(URLEncoder.encode(dyno, StandardCharsets.UTF_8));
        }
        if (source != null) {
            path.append("&source=").append(URLEncoder.encode(source, StandardCharsets.UTF_8));
        }
        api.client().lines(path.toString(), System.out::println);
        return 0;
    }
}
