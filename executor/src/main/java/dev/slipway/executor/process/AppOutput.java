package dev.slipway.executor.process;

import dev.slipway.executor.logs.LogFormat;
import java.io.PrintStream;
import java.time.Clock;
import java.util.function.Consumer;

/** Where an app's output lines go, one at a time. Called from the runner's pump threads. */
@FunctionalInterface
public interface AppOutput {
    enum Channel { STDOUT, STDERR }

    void line(String dyno, Channel channel, String line);

    /**
     * The executor's own stdout and stderr (the sandbox's {@code stdout}/{@code stderr} files), each
     * line as Heroku's log lines read: {@code 2026-01-02T03:04:05.123456+00:00 app[web.1]: text}.
     * Each line, as written there, is also handed to {@code shipped} (the log shipper's queue: it
     * must not block).
     */
    static AppOutput console(PrintStream out, PrintStream err, Clock clock, Consumer<String> shipped) {
        return (dyno, channel, line) -> {
            String formatted = LogFormat.line(clock.instant(), "app", dyno, line);
            PrintStream target = channel == Channel.STDOUT ? out : err;
            target.println(formatted);
            shipped.accept(formatted);
        };
    }
}
