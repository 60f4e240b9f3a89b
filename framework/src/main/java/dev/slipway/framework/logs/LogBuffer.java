package dev.slipway.framework.logs;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * One app's log: the last {@code capacity} lines, oldest first, and who follows it. Followers are
 * told of each new line they want while this buffer's lock is held, in the order lines were
 * appended.
 */
final class LogBuffer {
    private final int capacity;
    private final ArrayDeque<LogLine> lines = new ArrayDeque<>();
    private final List<Follower> followers = new ArrayList<>();
    /** Why this log ended (its app was destroyed); null while it goes on. */
    private String ended;

    private record Follower(LogFilter filter, AppLogs.Follower target) {
    }

    LogBuffer(int capacity) {
        this.capacity = capacity;
    }

    synchronized void append(List<LogLine> batch) {
        if (ended != null) {
            return;
        }
        for (LogLine line : batch) {
            if (lines.size() == capacity) {
                lines.pollFirst();
            }
            lines.addLast(line);
            for (Follower follower : followers) {
                if (follower.filter().matches(line)) {
                    follower.target().line(line.text());
                }
            }
        }
    }

    /** The last {@code count} lines that {@code filter} lets through, oldest first. */
    synchronized List<String> recent(int count, LogFilter filter) {
        List<String> newestFirst = new ArrayList<>();
        Iterator<LogLine> backwards = lines.descendingIterator();
        while (backwards.hasNext() && newestFirst.size() < count) {
            LogLine line = backwards.next();
            if (filter.matches(line)) {
                newestFirst.add(line.text());
            }
        }
        List<String> oldestFirst = new ArrayList<>(newestFirst.size());
        for (int i = newestFirst.size() - 1; i >= 0; i--) {
            oldestFirst.add(newestFirst.get(i));
        }
        return oldestFirst;
    }

    /** The recent lines, and from then on every new line {@code filter} lets through, with nothing missed between. */
    synchronized List<String> follow(int count, LogFilter filter, AppLogs.Follower target) {
        if (ended != null) {
            target.ended(ended);
            return List.of();
        }
        followers.add(new Follower(filter, target));
        return recent(count, filter);
    }

    /** Ends this log: its followers are told {@code why} and let go; nothing more is appended. */
    synchronized void end(String why) {
        if (ended != null) {
            return;
        }
        ended = why;
        lines.clear();
        for (Follower follower : followers) {
            follower.target().ended(why);
        }
        followers.clear();
    }

    synchronized void unfollow(AppLogs.Follower target) {
        followers.removeIf(follower -> follower.target() == target);
    }

    synchronized int followers() {
        return followers.size();
    }
}
