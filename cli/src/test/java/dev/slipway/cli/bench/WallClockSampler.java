package dev.slipway.cli.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Where one thread's wall-clock time goes: its stack sampled every 10 ms, blocked or not (a CPU
 * profiler such as JFR misses a thread that mostly waits on ZooKeeper round trips). Counts, per
 * method of ours on the stack, the share of samples it was on the stack (inclusive), and per
 * topmost frame the share it was at the top.
 */
final class WallClockSampler implements Runnable {
    private final String threadName;
    private final Path report;
    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private final Map<String, Integer> inclusive = new HashMap<>();
    private final Map<String, Integer> top = new HashMap<>();
    private int samples;
    private int idle;

    WallClockSampler(String threadName, Path report) {
        this.threadName = threadName;
        this.report = report;
    }

    static void start(String threadName, Path report) {
        WallClockSampler sampler = new WallClockSampler(threadName, report);
        Thread thread = new Thread(sampler, "bench-wall-clock-sampler");
        thread.setDaemon(true);
        thread.start();
        Runtime.getRuntime().addShutdownHook(new Thread(sampler::write));
    }

    @Override
    public void run() {
        long id = -1;
        while (true) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                return;
            }
            if (id < 0) {
                id = Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals(threadName))
                        .mapToLong(Thread::getId).findFirst().orElse(-1);
                continue;
            }
            ThreadInfo info = threads.getThreadInfo(id, 80);
            if (info == null) {
                continue;
            }
            sample(info.getStackTrace());
        }
    }

    private synchronized void sample(StackTraceElement[] stack) {
        samples++;
        // Waiting for its next task: the scheduler's executor queue.
        boolean ours = false;
        for (StackTraceElement frame : stack) {
            ours |= frame.getClassName().startsWith("dev.slipway");
        }
        if (!ours) {
            idle++;
            return;
        }
        top.merge(name(stack[0]), 1, Integer::sum);
        Set<String> seen = new LinkedHashSet<>();
        for (StackTraceElement frame : stack) {
            // Lambdas and their synthetic classes say nothing the enclosing method does not.
            if (frame.getClassName().startsWith("dev.slipway") && !frame.getClassName().contains("$$Lambda")
                    && !frame.getMethodName().startsWith("lambda$")) {
                seen.add(name(frame));
            }
        }
        seen.forEach(f -> inclusive.merge(f, 1, Integer::sum));
    }

    private static String name(StackTraceElement frame) {
        String type = frame.getClassName();
        return type.substring(type.lastIndexOf('.') + 1) + "." + frame.getMethodName();
    }

    synchronized void write() {
        StringBuilder out = new StringBuilder();
        out.append(String.format("thread %s: %d samples every 10 ms, %.1f%% idle (waiting for work)%n", threadName,
                samples, samples == 0 ? 0 : 100.0 * idle / samples));
        out.append("inclusive (share of all samples on the stack):\n");
        out.append(lines(inclusive, 30));
        out.append("top frame:\n");
        out.append(lines(top, 15));
        try {
            Files.writeString(report, out);
        } catch (IOException e) {
            System.err.println("cannot write " + report + ": " + e);
        }
    }

    private String lines(Map<String, Integer> counts, int limit) {
        return counts.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
                .limit(limit)
                .map(e -> String.format("  %5.1f%% %s%n", 100.0 * e.getValue() / Math.max(1, samples), e.getKey()))
                .collect(Collectors.joining());
    }
}
