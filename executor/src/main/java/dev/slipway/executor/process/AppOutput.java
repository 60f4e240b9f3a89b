package dev.slipway.executor.process;

import java.io.PrintStream;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** Where an app's output lines go, one at a time. Called from the runner's pump threads. */
@FunctionalInterface
public interface AppOutput {
    enum Channel { STDOUT, STDERR }

    void line(String dyno, Channel channel, String line);

    /**
     * The executor's own stdout and stderr (the sandbox's {@code stdout}/{@code stderr} files), each
     * line as Heroku's log lines read: {@code 2026-01-02T03:04:05.123456+00:00 app[web.1]: text}.
     */
    static AppOutput console(PrintStream out, PrintStream err, Clock clock) {
        DateTimeFormatter timestamp = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSxxx")
                .withZone(ZoneOffset.UTC);
        return (dyno, channel, line) -> {
            PrintStream target = channel == Channel.STDOUT ? out : err;
            target.println(timestamp.format(clock.instant()) + " app[" + dyno + "]: " + line);
        };
    }
}
