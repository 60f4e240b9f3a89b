package dev.slipway.cli.apply;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** One change that converges an app to its spec, in the order a plan lists them. */
public sealed interface Step {
    /** What it does, for people; never a config value (values may be secrets). */
    String describe();

    record Create(String team) implements Step {
        @Override
        public String describe() {
            return "create" + (team == null ? "" : " in team " + team);
        }
    }

    /** Sets (a value) and unsets (null) config vars: one release. */
    record SetConfig(Map<String, String> changes) implements Step {
        public SetConfig {
            changes = Collections.unmodifiableMap(new LinkedHashMap<>(changes));
        }

        @Override
        public String describe() {
            List<String> set = new ArrayList<>();
            List<String> unset = new ArrayList<>();
            changes.forEach((name, value) -> (value == null ? unset : set).add(name));
            List<String> parts = new ArrayList<>();
            if (!set.isEmpty()) {
                parts.add("set " + String.join(", ", set));
            }
            if (!unset.isEmpty()) {
                parts.add("unset " + String.join(", ", unset));
            }
            return "config: " + String.join("; ", parts);
        }
    }

    /** Builds {@code source} and follows the deployment of the release it makes. */
    record Deploy(Path source, String checksum, String why) implements Step {
        @Override
        public String describe() {
            return "deploy " + shown(source) + " (" + why + ")";
        }

        /** A source under the current directory relative to it, as a user typed it; any other whole. */
        static String shown(Path source) {
            Path here = Path.of("").toAbsolutePath();
            return source.isAbsolute() && source.startsWith(here) && !source.equals(here)
                    ? here.relativize(source).toString() : source.toString();
        }
    }

    /** Releases the slug of the app's release {@code release} with its current config. */
    record Release(String release, String slug) implements Step {
        @Override
        public String describe() {
            return "release the slug of " + release + " (" + Planner.shortSlug(slug) + ")";
        }
    }

    record Scale(String type, int quantity, Integer from) implements Step {
        @Override
        public String describe() {
            return "scale " + type + "=" + quantity + (from == null ? "" : " (now " + from + ")");
        }
    }

    record Resize(String type, String size, String from) implements Step {
        @Override
        public String describe() {
            return "resize " + type + "=" + size + (from == null ? "" : " (now " + from + ")");
        }
    }

    record Constrain(String type, List<String> constraints) implements Step {
        public Constrain {
            constraints = List.copyOf(constraints);
        }

        @Override
        public String describe() {
            return "constraints " + type + ": " + (constraints.isEmpty() ? "none" : String.join(" ", constraints));
        }
    }

    record AddDomain(String hostname) implements Step {
        @Override
        public String describe() {
            return "add domain " + hostname;
        }
    }

    record RemoveDomain(String hostname) implements Step {
        @Override
        public String describe() {
            return "remove domain " + hostname;
        }
    }
}
