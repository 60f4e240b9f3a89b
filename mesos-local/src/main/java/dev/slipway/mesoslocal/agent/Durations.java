package dev.slipway.mesoslocal.agent;

import java.time.Duration;

/** Durations written as stout writes them in Mesos's environment variables: {@code 5secs}, {@code 15mins}. */
final class Durations {
    private Durations() {
    }

    static String stout(Duration duration) {
        long nanos = duration.toNanos();
        String[] units = {"ns", "us", "ms", "secs", "mins", "hrs", "days", "weeks"};
        double[] sizes = {1, 1e3, 1e6, 1e9, 60e9, 3600e9, 86400e9, 604800e9};
        int unit = 0;
        for (int i = sizes.length - 1; i >= 0; i--) {
            if (nanos >= sizes[i]) {
                unit = i;
                break;
            }
        }
        double value = nanos / sizes[unit];
        String number = value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
        return number + units[unit];
    }
}
