package dev.slipway.framework.api;

/**
 * Client-given text (a path, a name, a header) made safe to show in a log line or an answer: each
 * control character escaped ({@code \r}, {@code \n}, {@code \t}, {@code \u001b}...), so that no
 * client can start a line of its own in the framework's log, and cut to a length.
 */
public final class LogSafe {
    private LogSafe() {
    }

    /** {@code text} escaped, at most {@code max} characters of it (then {@code ...}); "" for null. */
    public static String of(String text, int max) {
        if (text == null) {
            return "";
        }
        StringBuilder shown = new StringBuilder(Math.min(text.length(), max) + 8);
        for (int i = 0; i < text.length() && i < max; i++) {
            char c = text.charAt(i);
            switch (c) {
                case '\r' -> shown.append("\\r");
                case '\n' -> shown.append("\\n");
                case '\t' -> shown.append("\\t");
                case '\\' -> shown.append("\\\\");
                default -> {
                    if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029') {
                        shown.append(String.format("\\u%04x", (int) c));
                    } else {
                        shown.append(c);
                    }
                }
            }
        }
        if (text.length() > max) {
            shown.append("...");
        }
        return shown.toString();
    }

    /** {@code text} escaped, at most 200 characters of it. */
    public static String of(String text) {
        return of(text, 200);
    }
}
