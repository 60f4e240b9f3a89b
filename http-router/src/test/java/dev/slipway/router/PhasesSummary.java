package dev.slipway.router;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Locale;
import java.util.TreeMap;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;

/**
 * Reads a JFR recording of the router ({@code bench/phases} makes one; so can any router run with
 * {@code -XX:StartFlightRecording}) and prints, per second from its first {@code slipway.RouterRequest}
 * on, how many requests began then and the p50/p99/max of each of their phases (counted from the head
 * read: routed, connected, head sent, first byte, the whole request; and the time queued for a
 * pooled connection), the pool waits past their threshold and the new connections to apps, beside
 * what the JVM did in the same second: garbage-collection pauses, JIT compilations and safepoints.
 * So a stall can be lined up with its cause. Only the JDK's classes: runs as
 * {@code java -cp http-router/target/test-classes dev.slipway.router.PhasesSummary FILE.jfr}.
 */
final class PhasesSummary {
    private static final String[] PHASES = {"routed", "queued", "connected", "head sent", "first byte", "total"};

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: PhasesSummary RECORDING.jfr");
            System.exit(2);
        }
        System.out.print(summarise(Path.of(args[0])));
    }

    /** The summary of {@code recording}, one row per second. */
    static String summarise(Path recording) throws IOException {
        Instant first = null;
        try (RecordingFile file = new RecordingFile(recording)) {
            while (file.hasMoreEvents()) {
                RecordedEvent event = file.readEvent();
                if (event.getEventType().getName().equals("slipway.RouterRequest")
                        && (first == null || event.getStartTime().isBefore(first))) {
                    first = event.getStartTime();
                }
            }
        }
        if (first == null) {
            return "no slipway.RouterRequest events in " + recording + "\n";
        }
        TreeMap<Long, Second> seconds = new TreeMap<>();
        try (RecordingFile file = new RecordingFile(recording)) {
            while (file.hasMoreEvents()) {
                RecordedEvent event = file.readEvent();
                long at = Duration.between(first, event.getStartTime()).toNanos();
                // What the JVM did before the first request is one row: second -1.
                long second = at < 0 ? -1 : at / 1_000_000_000L;
                seconds.computeIfAbsent(second, s -> new Second()).add(event);
            }
        }
        StringBuilder out = new StringBuilder();
        out.append("# from ").append(recording).append(", second 0 = the first request's head at ").append(first)
                .append("\n# phases count from the head read; each cell is p50/p99/max; '-' = none\n");
        StringBuilder header = new StringBuilder("second | requests | failed");
        for (String phase : PHASES) {
            header.append(" | ").append(phase);
        }
        header.append(" | fresh connections | pool waits (n max) | connects (n max) | GC pauses (n sum max)"
                + " | JIT compilations (n sum max) | safepoints (n sum max)");
        out.append(header).append('\n');
        for (var entry : seconds.entrySet()) {
            out.append(entry.getKey() < 0 ? "before" : Long.toString(entry.getKey())).append(" | ")
                    .append(entry.getValue().row()).append('\n');
        }
        return out.toString();
    }

    /** What one second of the recording holds. */
    private static final class Second {
        private final Samples[] phases = new Samples[PHASES.length];
        private int requests;
        private int failed;
        private int fresh;
        private final Samples poolWaits = new Samples();
        private final Samples connects = new Samples();
        private final Samples gcPauses = new Samples();
        private final Samples compilations = new Samples();
        private final Samples safepoints = new Samples();

        Second() {
            Arrays.setAll(phases, i -> new Samples());
        }

        void add(RecordedEvent event) {
            switch (event.getEventType().getName()) {
                case "slipway.RouterRequest" -> {
                    requests++;
                    if (event.getString("error") != null || event.getInt("status") >= 500) {
                        failed++;
                    }
                    if (event.getBoolean("freshConnection")) {
                        fresh++;
                    }
                    phases[0].add(event.getLong("routed"));
                    phases[1].add(event.getLong("queued"));
                    phases[2].add(event.getLong("connected"));
                    phases[3].add(event.getLong("headSent"));
                    phases[4].add(event.getLong("firstByte"));
                    phases[5].add(event.getDuration().toNanos());
                }
                case "slipway.UpstreamPoolWait" -> poolWaits.add(event.getDuration().toNanos());
                case "slipway.UpstreamConnect" -> connects.add(event.getDuration().toNanos());
                case "jdk.GCPhasePause" -> gcPauses.add(event.getDuration().toNanos());
                case "jdk.Compilation" -> compilations.add(event.getDuration().toNanos());
                case "jdk.SafepointBegin" -> safepoints.add(event.getDuration().toNanos());
                default -> {
                }
            }
        }

        String row() {
            StringBuilder row = new StringBuilder().append(requests).append(" | ").append(failed);
            for (Samples phase : phases) {
                row.append(" | ").append(phase.percentiles());
            }
            return row.append(" | ").append(fresh)
                    .append(" | ").append(poolWaits.countAndMax())
                    .append(" | ").append(connects.countAndMax())
                    .append(" | ").append(gcPauses.countSumMax())
                    .append(" | ").append(compilations.countSumMax())
                    .append(" | ").append(safepoints.countSumMax())
                    .toString();
        }
    }

    /** Nanosecond values (a negative one, a phase never reached, is left out). */
    private static final class Samples {
        private long[] values = new long[16];
        private int size;

        void add(long nanos) {
            if (nanos < 0) {
                return;
            }
            if (size == values.length) {
                values = Arrays.copyOf(values, size * 2);
            }
            values[size++] = nanos;
        }

        String percentiles() {
            if (size == 0) {
                return "-";
            }
            Arrays.sort(values, 0, size);
            return time(at(0.50)) + "/" + time(at(0.99)) + "/" + time(values[size - 1]);
        }

        String countAndMax() {
            if (size == 0) {
                return "-";
            }
            return size + " " + time(Arrays.stream(values, 0, size).max().orElseThrow());
        }

        String countSumMax() {
            if (size == 0) {
                return "-";
            }
            return size + " " + time(Arrays.stream(values, 0, size).sum()) + " "
                    + time(Arrays.stream(values, 0, size).max().orElseThrow());
        }

        /** The nearest-rank percentile of the sorted values. */
        private long at(double quantile) {
            int rank = (int) Math.ceil(quantile * size);
            return values[Math.max(0, rank - 1)];
        }
    }

    static String time(long nanos) {
        if (nanos < 1_000_000) {
            return (nanos / 1_000) + "us";
        }
        if (nanos < 1_000_000_000) {
            return String.format(Locale.ROOT, "%.1fms", nanos / 1e6);
        }
        return String.format(Locale.ROOT, "%.2fs", nanos / 1e9);
    }
}
