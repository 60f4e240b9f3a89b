package dev.slipway.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * What {@code slipway up} says about how its instances are kept apart (docs/security.md,
 * "Instances: their own network, their own processes"): one warning line when they are not, as
 * the executors will run them.
 */
final class Containment {
    private Containment() {
    }

    /** The warning for instances in containers ({@code containers}) or as plain processes; empty when none is due. */
    static Optional<String> warning(boolean containers) {
        boolean root = isRoot();
        if (!containers) {
            return Optional.of("WARNING: host mode is for development: instances run as plain processes on this "
                    + "machine's network, so any app can connect to the API, Mesos, ZooKeeper and the other apps' "
                    + "ports; " + (root ? "each app runs under its own Unix user (slipway-app-<app>)"
                    : "every app runs as " + System.getProperty("user.name") + " and can read the others' "
                    + "environment (config vars) and files") + ". See docs/security.md");
        }
        if (!root || !hasIptables()) {
            return Optional.of("WARNING: instances run in containers on the Docker network slipway, but "
                    + (root ? "there is no iptables" : "Slipway does not run as root")
                    + ", so no firewall rule keeps them from the services on this machine's non-loopback addresses. "
                    + "See docs/security.md");
        }
        return Optional.empty();
    }

    private static boolean isRoot() {
        try {
            return (int) Files.getAttribute(Path.of("/proc/self"), "unix:uid") == 0;
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    private static boolean hasIptables() {
        Stream<String> dirs = Stream.concat(Stream.of(System.getenv().getOrDefault("PATH", "").split(":")),
                Stream.of("/usr/sbin", "/sbin"));
        return dirs.filter(dir -> !dir.isBlank()).anyMatch(dir -> Files.isExecutable(Path.of(dir, "iptables")));
    }
}
