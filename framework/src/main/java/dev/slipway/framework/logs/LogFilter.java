package dev.slipway.framework.logs;

/**
 * Which lines of an app's log to show, as Heroku's {@code --dyno} and {@code --source}.
 *
 * @param dyno   an instance ({@code web.1}) or a process type ({@code web}: all its instances); null: all
 * @param source {@code app} or {@code slipway}; null: both
 */
public record LogFilter(String dyno, String source) {
    public static final LogFilter ALL = new LogFilter(null, null);

    public LogFilter {
        dyno = dyno == null || dyno.isBlank() ? null : dyno;
        source = source == null || source.isBlank() ? null : source;
    }

    public boolean matches(LogLine line) {
        return (source == null || source.equals(line.source()))
                && (dyno == null || dyno.equals(line.dyno()) || line.dyno().startsWith(dyno + "."));
    }
}
