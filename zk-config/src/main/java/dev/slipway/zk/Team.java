package dev.slipway.zk;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;

/** A team: apps belong to one, and its members see and change them. */
public record Team(String name, List<String> members, Instant createdAt) {
    /** The most members a team has (the record stays a few kilobytes). */
    public static final int MAX_MEMBERS = 500;

    public Team {
        Objects.requireNonNull(name, "name");
        members = List.copyOf(new TreeSet<>(members == null ? List.of() : members));
        if (members.size() > MAX_MEMBERS) {
            throw new IllegalArgumentException("team " + name + " has " + members.size() + " members: at most "
                    + MAX_MEMBERS);
        }
        createdAt = createdAt == null ? Instant.EPOCH : createdAt;
    }

    public boolean has(String user) {
        return members.contains(user);
    }

    /** The team with {@code user} among its members. */
    public Team with(String user) {
        List<String> next = new java.util.ArrayList<>(members);
        next.add(user);
        return new Team(name, next, createdAt);
    }

    /** The team without {@code user}. */
    public Team without(String user) {
        return new Team(name, members.stream().filter(m -> !m.equals(user)).toList(), createdAt);
    }
}
