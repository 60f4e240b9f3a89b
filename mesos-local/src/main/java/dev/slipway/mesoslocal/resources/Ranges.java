package dev.slipway.mesoslocal.resources;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.mesos.v1.Protos.Value;

/** An immutable set of integers held as sorted, disjoint, non-adjacent closed intervals (Mesos RANGES). */
public final class Ranges {
    public static final Ranges EMPTY = new Ranges(List.of());

    /** One closed interval {@code [begin, end]}. */
    public record Range(long begin, long end) {
        public Range {
            if (begin > end) {
                throw new IllegalArgumentException("range begin " + begin + " is after its end " + end);
            }
        }
    }

    private final List<Range> ranges;

    private Ranges(List<Range> normalized) {
        this.ranges = List.copyOf(normalized);
    }

    public static Ranges of(long begin, long end) {
        return new Ranges(List.of(new Range(begin, end)));
    }

    public static Ranges fromProto(Value.Ranges proto) {
        List<Range> list = new ArrayList<>();
        for (Value.Range range : proto.getRangeList()) {
            list.add(new Range(range.getBegin(), range.getEnd()));
        }
        return new Ranges(normalize(list));
    }

    public Value.Ranges toProto() {
        Value.Ranges.Builder builder = Value.Ranges.newBuilder();
        for (Range range : ranges) {
            builder.addRange(Value.Range.newBuilder().setBegin(range.begin()).setEnd(range.end()));
        }
        return builder.build();
    }

    public List<Range> ranges() {
        return ranges;
    }

    public boolean isEmpty() {
        return ranges.isEmpty();
    }

    public Ranges plus(Ranges other) {
        List<Range> list = new ArrayList<>(ranges);
        list.addAll(other.ranges);
        return new Ranges(normalize(list));
    }

    public Ranges minus(Ranges other) {
        List<Range> result = new ArrayList<>(ranges);
        for (Range cut : other.ranges) {
            List<Range> next = new ArrayList<>();
            for (Range range : result) {
                if (cut.end() < range.begin() || cut.begin() > range.end()) {
                    next.add(range);
                    continue;
                }
                if (range.begin() < cut.begin()) {
                    next.add(new Range(range.begin(), cut.begin() - 1));
                }
                if (range.end() > cut.end()) {
                    next.add(new Range(cut.end() + 1, range.end()));
                }
            }
            result = next;
        }
        return new Ranges(result);
    }

    public boolean contains(Ranges other) {
        return other.minus(this).isEmpty();
    }

    /** Whether two range lists (as a task might declare them) overlap each other. */
    static boolean overlapping(List<Range> list) {
        List<Range> sorted = new ArrayList<>(list);
        sorted.sort(Comparator.comparingLong(Range::begin));
        for (int i = 1; i < sorted.size(); i++) {
            if (sorted.get(i).begin() <= sorted.get(i - 1).end()) {
                return true;
            }
        }
        return false;
    }

    private static List<Range> normalize(List<Range> list) {
        List<Range> sorted = new ArrayList<>(list);
        sorted.sort(Comparator.comparingLong(Range::begin));
        List<Range> merged = new ArrayList<>();
        for (Range range : sorted) {
            if (!merged.isEmpty() && range.begin() <= merged.get(merged.size() - 1).end() + 1) {
                Range last = merged.remove(merged.size() - 1);
                merged.add(new Range(last.begin(), Math.max(last.end(), range.end())));
            } else {
                merged.add(range);
            }
        }
        return merged;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Ranges other && ranges.equals(other.ranges);
    }

    @Override
    public int hashCode() {
        return ranges.hashCode();
    }

    /** Mesos's rendering: {@code [31000-31005, 31010-31010]}. */
    @Override
    public String toString() {
        return ranges.stream().map(r -> r.begin() + "-" + r.end()).collect(Collectors.joining(", ", "[", "]"));
    }
}
