package dev.slipway.executor.config;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as a Mesos agent writes them into an executor's environment: a non-negative decimal
 * number followed by one of Mesos' units ({@code ns us ms secs mins hrs days weeks}), as in
 * {@code 15mins}, {@code 2secs}, {@code 100ms} or {@code 1.5hrs}.
 */
public final class MesosDuration {
    private static final Pattern FORMAT = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*([a-z]+)");
    private static final Map<String, Long> NANOS_PER_UNIT = Map.of(
            "ns", 1L,
            "us", 1_000L,
            "ms", 1_000_000L,
            "secs", 1_000_000_000L,
            "mins", 60_000_000_000L,
            "hrs", 3_600_000_000_000L,
            "days", 86_400_000_000_000L,
            "weeks", 604_800_000_000_000L);

    private MesosDuration() {
    }

    /**
     * Parses {@code text}.
     *
     * @throws IllegalArgumentException naming the text and the expected format when it is not one
     */
    public static Duration parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("no duration given");
        }
        Matcher m = FORMAT.matcher(text.strip());
        Long unit = m.matches() ? NANOS_PER_UNIT.get(m.group(2)) : null;
        if (unit == null) {
            throw new IllegalArgumentException("'" + text + "' is not a Mesos duration (a number followed by one of "
                    + "ns, us, ms, secs, mins, hrs, days, weeks; e.g. 15mins)");
        }
        BigDecimal nanos = new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(unit));
        try {
            return Duration.ofNanos(nanos.longValueExact());
        } catch (ArithmeticException e) {
            // Fractions of a nanosecond are rounded down; only an overflow is an error.
            if (nanos.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) <= 0) {
                return Duration.ofNanos(nanos.longValue());
            }
            throw new IllegalArgumentException("'" + text + "' is too long a duration", e);
        }
    }
}
