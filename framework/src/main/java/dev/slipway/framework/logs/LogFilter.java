package dev.slipway.framework.logs;

/**
 * Which lines of an app's log to show, as Heroku's {@code --dyno} and {@code --source}.
 *
 * @param dyno   an instance ({@code web.1}) or a process type ({@code web}: all its instances); null: all
 * @param source {@code app}, {@code slipway} (the router's lines included, as Heroku's {@code heroku}
 *               source holds {@code heroku[router]}), or {@code router}: only {@code slipway[router]};
 *               null: all
 */
public record LogFilter(String dyno, String source) {
    public static final LogFilter ALL = new LogFilter(null, null);
    /** The source that picks the router's lines, {@code slipway[router]}. */
    public static final String ROUTER = "router";

    public LogFilter {
        dyno = dyno == null || dyno.isBlank() ? null : dyno;
        source = source == null || source.isBlank() ? null : source;
    }

    private static boolean isRouters(LogLine line) {
        return line.source().equals("slipway") && line.dyno().equals(RouterLines.DYNO);
    }

    public boolean matches(LogLine line) {
        return (source == null || source.equals(line.source()) || source.equals(ROUTER) && isRouters(line))
                && (dyno == null || dyno.equals(line.dyno()) || line.dyno().startsWith(dyno + "."));
    }
}
