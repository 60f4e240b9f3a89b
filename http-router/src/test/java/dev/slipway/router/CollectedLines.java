package dev.slipway.router;

import static org.awaitility.Awaitility.await;

import dev.slipway.router.log.RouterLine;
import dev.slipway.router.log.RouterLog;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A {@link RouterLog} that keeps every line, formatted, for tests to read. */
final class CollectedLines implements RouterLog {
    /** One line and the app it was written for. */
    record Line(String app, String text) {
    }

    private final List<Line> lines = new CopyOnWriteArrayList<>();

    @Override
    public void line(String app, RouterLine line) {
        lines.add(new Line(app, line.format()));
    }

    List<Line> all() {
        return List.copyOf(lines);
    }

    /** Waits until {@code app} has {@code count} lines (the line is written once the answer has gone) and returns them. */
    List<String> awaitLines(String app, int count) {
        await().atMost(Duration.ofSeconds(10)).until(() -> of(app).size() >= count);
        return of(app);
    }

    /** The only line of {@code app}, once written. */
    String awaitLine(String app) {
        return awaitLines(app, 1).get(0);
    }

    List<String> of(String app) {
        return lines.stream().filter(line -> line.app().equals(app)).map(Line::text).toList();
    }
}
