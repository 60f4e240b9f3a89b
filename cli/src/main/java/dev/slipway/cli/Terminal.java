package dev.slipway.cli;

/**
 * What the CLI may print where: colour only when stdout is a terminal (both standard streams are,
 * {@link System#console()}) and neither {@code NO_COLOR} (https://no-color.org) nor
 * {@code TERM=dumb} asks for none, so that piped output never carries ANSI codes.
 */
final class Terminal {
    private static final String RESET = "\u001b[0m";

    private Terminal() {
    }

    /** Whether stdout is an interactive terminal (progress lines, opening a browser). */
    static boolean interactive() {
        return System.console() != null;
    }

    static boolean colour() {
        String noColour = System.getenv("NO_COLOR");
        return interactive() && (noColour == null || noColour.isEmpty()) && !"dumb".equals(System.getenv("TERM"));
    }

    static String bold(String text) {
        return styled("\u001b[1m", text);
    }

    static String green(String text) {
        return styled("\u001b[32m", text);
    }

    static String yellow(String text) {
        return styled("\u001b[33m", text);
    }

    static String red(String text) {
        return styled("\u001b[31m", text);
    }

    /** {@code ===} headings, as Heroku's CLI prints them. */
    static String heading(String text) {
        return bold("=== " + text);
    }

    /** An instance's or a build's state, green when it is well and red when it failed. */
    static String state(String state) {
        return switch (state) {
            case "up", "succeeded" -> green(state);
            case "crashed", "failed" -> red(state);
            case "starting", "pending" -> yellow(state);
            default -> state;
        };
    }

    private static String styled(String code, String text) {
        return colour() && !text.isEmpty() ? code + text + RESET : text;
    }

    /** The width of {@code text} as shown: without its ANSI codes. */
    static int width(String text) {
        return text.replaceAll("\u001b\\[[0-9;]*m", "").length();
    }
}
