package dev.slipway.mesoslocal.resources;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.mesos.v1.Protos.Resource;
import org.apache.mesos.v1.Protos.Value;

/**
 * An immutable bag of unreserved resources as this agent offers them: scalars (cpus, mem, disk),
 * ranges (ports) and sets, by name. Scalars keep Mesos's fixed point of three decimals.
 *
 * <p>Resources this agent never offers (reserved, revocable, shared, persistent volumes, from a
 * resource provider) are kept aside as "foreign": an amount holding any is never contained in
 * what the agent has, which is what makes a task using them fail validation as in Mesos.
 */
public final class Resources {
    public static final Resources EMPTY = new Resources(new TreeMap<>(), new TreeMap<>(), new TreeMap<>(), List.of());

    private final SortedMap<String, Double> scalars;
    private final SortedMap<String, Ranges> ranges;
    private final SortedMap<String, SortedSet<String>> sets;
    private final List<Resource> foreign;

    private Resources(SortedMap<String, Double> scalars, SortedMap<String, Ranges> ranges,
            SortedMap<String, SortedSet<String>> sets, List<Resource> foreign) {
        this.scalars = Collections.unmodifiableSortedMap(scalars);
        this.ranges = Collections.unmodifiableSortedMap(ranges);
        this.sets = Collections.unmodifiableSortedMap(sets);
        this.foreign = List.copyOf(foreign);
    }

    public static Resources scalar(String name, double value) {
        TreeMap<String, Double> map = new TreeMap<>();
        if (round(value) > 0) {
            map.put(name, round(value));
        }
        return new Resources(map, new TreeMap<>(), new TreeMap<>(), List.of());
    }

    public static Resources ranges(String name, Ranges value) {
        TreeMap<String, Ranges> map = new TreeMap<>();
        if (!value.isEmpty()) {
            map.put(name, value);
        }
        return new Resources(new TreeMap<>(), map, new TreeMap<>(), List.of());
    }

    /** The sum of {@code protos}, which should have passed {@link #validate}. */
    public static Resources of(List<Resource> protos) {
        Resources sum = EMPTY;
        for (Resource resource : protos) {
            sum = sum.plus(of(resource));
        }
        return sum;
    }

    private static Resources of(Resource resource) {
        if (isForeign(resource)) {
            return new Resources(new TreeMap<>(), new TreeMap<>(), new TreeMap<>(), List.of(resource));
        }
        return switch (resource.getType()) {
            case SCALAR -> scalar(resource.getName(), resource.getScalar().getValue());
            case RANGES -> ranges(resource.getName(), Ranges.fromProto(resource.getRanges()));
            case SET -> {
                TreeMap<String, SortedSet<String>> map = new TreeMap<>();
                if (resource.getSet().getItemCount() > 0) {
                    map.put(resource.getName(), new TreeSet<>(resource.getSet().getItemList()));
                }
                yield new Resources(new TreeMap<>(), new TreeMap<>(), map, List.of());
            }
            default -> new Resources(new TreeMap<>(), new TreeMap<>(), new TreeMap<>(), List.of(resource));
        };
    }

    private static boolean isForeign(Resource resource) {
        return !"*".equals(resource.getRole()) || resource.hasReservation() || resource.getReservationsCount() > 0
                || resource.hasRevocable() || resource.hasShared() || resource.hasDisk() || resource.hasProviderId();
    }

    /**
     * Mesos's {@code Resources::validate}: null when every resource is well formed, else the
     * reason, worded as Mesos words it.
     */
    public static String validate(List<Resource> protos) {
        for (Resource resource : protos) {
            String error = validate(resource);
            if (error != null) {
                return "Resource '" + resource.getName() + "' is invalid: " + error;
            }
        }
        return null;
    }

    private static String validate(Resource resource) {
        if (resource.getName().isEmpty()) {
            return "Empty resource name";
        }
        switch (resource.getType()) {
            case SCALAR -> {
                if (!resource.hasScalar() || resource.hasRanges() || resource.hasSet()) {
                    return "Invalid scalar resource";
                }
                double value = resource.getScalar().getValue();
                if (Double.isNaN(value) || Double.isInfinite(value) || value < 0) {
                    return "Invalid scalar resource: value < 0";
                }
            }
            case RANGES -> {
                if (resource.hasScalar() || !resource.hasRanges() || resource.hasSet()) {
                    return "Invalid ranges resource";
                }
                List<Ranges.Range> list = new ArrayList<>();
                for (Value.Range range : resource.getRanges().getRangeList()) {
                    if (Long.compareUnsigned(range.getBegin(), range.getEnd()) > 0) {
                        return "Invalid ranges resource: begin > end";
                    }
                    list.add(new Ranges.Range(range.getBegin(), range.getEnd()));
                }
                if (Ranges.overlapping(list)) {
                    return "Invalid ranges resource: overlapping ranges";
                }
            }
            case SET -> {
                if (resource.hasScalar() || resource.hasRanges() || !resource.hasSet()) {
                    return "Invalid set resource";
                }
                if (new HashSet<>(resource.getSet().getItemList()).size() != resource.getSet().getItemCount()) {
                    return "Invalid set resource: duplicated elements";
                }
            }
            default -> {
                return "Unsupported resource type";
            }
        }
        if (resource.hasDisk() && !"disk".equals(resource.getName())) {
            return "DiskInfo should not be set for " + resource.getName() + " resource";
        }
        if ("*".equals(resource.getRole()) && resource.hasReservation()) {
            return "Invalid reservation: role \"*\" cannot be dynamically reserved";
        }
        return null;
    }

    public boolean isEmpty() {
        return scalars.isEmpty() && ranges.isEmpty() && sets.isEmpty() && foreign.isEmpty();
    }

    public double scalar(String name) {
        return scalars.getOrDefault(name, 0.0);
    }

    public Ranges ranges(String name) {
        return ranges.getOrDefault(name, Ranges.EMPTY);
    }

    public Map<String, Double> scalars() {
        return scalars;
    }

    public Resources plus(Resources other) {
        TreeMap<String, Double> s = new TreeMap<>(scalars);
        other.scalars.forEach((name, value) -> s.merge(name, value, (a, b) -> round(a + b)));
        TreeMap<String, Ranges> r = new TreeMap<>(ranges);
        other.ranges.forEach((name, value) -> r.merge(name, value, Ranges::plus));
        TreeMap<String, SortedSet<String>> t = new TreeMap<>(sets);
        other.sets.forEach((name, value) -> t.merge(name, value, (a, b) -> {
            SortedSet<String> union = new TreeSet<>(a);
            union.addAll(b);
            return union;
        }));
        List<Resource> f = new ArrayList<>(foreign);
        f.addAll(other.foreign);
        return new Resources(s, r, t, f);
    }

    /** This minus {@code other}, never below zero. Foreign resources are never subtracted. */
    public Resources minus(Resources other) {
        TreeMap<String, Double> s = new TreeMap<>();
        scalars.forEach((name, value) -> {
            double left = round(value - other.scalar(name));
            if (left > 0) {
                s.put(name, left);
            }
        });
        TreeMap<String, Ranges> r = new TreeMap<>();
        ranges.forEach((name, value) -> {
            Ranges left = value.minus(other.ranges(name));
            if (!left.isEmpty()) {
                r.put(name, left);
            }
        });
        TreeMap<String, SortedSet<String>> t = new TreeMap<>();
        sets.forEach((name, value) -> {
            SortedSet<String> left = new TreeSet<>(value);
            left.removeAll(other.sets.getOrDefault(name, Collections.emptySortedSet()));
            if (!left.isEmpty()) {
                t.put(name, left);
            }
        });
        return new Resources(s, r, t, foreign);
    }

    /** Whether every resource in {@code other} is also here. */
    public boolean contains(Resources other) {
        if (!other.foreign.isEmpty()) {
            return false;
        }
        for (Map.Entry<String, Double> entry : other.scalars.entrySet()) {
            if (scalar(entry.getKey()) + 1e-9 < entry.getValue()) {
                return false;
            }
        }
        for (Map.Entry<String, Ranges> entry : other.ranges.entrySet()) {
            if (!ranges(entry.getKey()).contains(entry.getValue())) {
                return false;
            }
        }
        for (Map.Entry<String, SortedSet<String>> entry : other.sets.entrySet()) {
            if (!sets.getOrDefault(entry.getKey(), Collections.emptySortedSet()).containsAll(entry.getValue())) {
                return false;
            }
        }
        return true;
    }

    /**
     * These resources as unreserved Mesos resources of role "*", each carrying {@code allocationRole}
     * in its allocation info unless that is null.
     */
    public List<Resource> toProtos(String allocationRole) {
        List<Resource> list = new ArrayList<>();
        scalars.forEach((name, value) -> list.add(base(name, Value.Type.SCALAR, allocationRole)
                .setScalar(Value.Scalar.newBuilder().setValue(value)).build()));
        ranges.forEach((name, value) -> list.add(base(name, Value.Type.RANGES, allocationRole)
                .setRanges(value.toProto()).build()));
        sets.forEach((name, value) -> list.add(base(name, Value.Type.SET, allocationRole)
                .setSet(Value.Set.newBuilder().addAllItem(value)).build()));
        list.addAll(foreign);
        return list;
    }

    private static Resource.Builder base(String name, Value.Type type, String allocationRole) {
        Resource.Builder builder = Resource.newBuilder().setName(name).setType(type).setRole("*");
        if (allocationRole != null) {
            builder.setAllocationInfo(Resource.AllocationInfo.newBuilder().setRole(allocationRole));
        }
        return builder;
    }

    /** The JSON shape Mesos's state endpoints use: {@code {"cpus": 2, "ports": "[31000-32000]"}}. */
    public Map<String, Object> toStateJson() {
        Map<String, Object> json = new TreeMap<>();
        scalars.forEach(json::put);
        ranges.forEach((name, value) -> json.put(name, value.toString()));
        sets.forEach((name, value) -> json.put(name, "{" + String.join(", ", value) + "}"));
        for (String name : List.of("cpus", "mem", "disk", "gpus")) {
            json.putIfAbsent(name, 0.0);
        }
        return json;
    }

    private static double round(double value) {
        return Math.round(value * 1000.0) / 1000.0;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Resources other && scalars.equals(other.scalars) && ranges.equals(other.ranges)
                && sets.equals(other.sets) && foreign.equals(other.foreign);
    }

    @Override
    public int hashCode() {
        return scalars.hashCode() * 31 + ranges.hashCode();
    }

    /** Mesos-like rendering for messages: {@code cpus:0.1; mem:64; ports:[31000-31000]}. */
    @Override
    public String toString() {
        List<String> parts = new ArrayList<>();
        scalars.forEach((name, value) -> parts.add(name + ":" + format(value)));
        ranges.forEach((name, value) -> parts.add(name + ":" + value));
        sets.forEach((name, value) -> parts.add(name + ":{" + String.join(", ", value) + "}"));
        foreign.forEach(r -> parts.add(r.getName() + "(" + r.getRole() + ", reserved or special)"));
        return parts.isEmpty() ? "{}" : String.join("; ", parts);
    }

    private static String format(double value) {
        return value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
    }

    /** Names of every resource here, for callers that iterate. */
    public Set<String> names() {
        Set<String> names = new TreeSet<>(scalars.keySet());
        names.addAll(ranges.keySet());
        names.addAll(sets.keySet());
        return names;
    }
}
