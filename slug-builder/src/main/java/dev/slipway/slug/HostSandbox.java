package dev.slipway.slug;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs builds as processes on this machine, with its runtimes: for machines without a Docker
 * engine. The steps see a clean environment: a few basic variables, and the proxy and CA-bundle
 * settings the buildpacks need to reach the package registries, nothing else (no secrets leak in).
 */
public final class HostSandbox implements BuildSandbox {
    static final String STACK = "slipway-host";
    /** What the steps inherit from this process's environment. */
    private static final List<String> INHERITED = List.of("PATH", "HOME", "USER", "LANG", "LC_ALL", "TMPDIR",
            "JAVA_HOME");

    @Override
    public Session open(Workspace workspace) {
        return session(workspace.limit(), workspace.deadline());
    }

    /** Steps on this machine until {@code deadline}, for any build, whichever its sandbox. */
    static HostProcess session(java.time.Duration limit, long deadline) {
        Map<String, String> env = new HashMap<>(NetworkSettings.fromEnvironment());
        for (String name : INHERITED) {
            String value = System.getenv(name);
            if (value != null) {
                env.put(name, value);
            }
        }
        env.putIfAbsent("PATH", "/usr/local/bin:/usr/bin:/bin");
        env.put("STACK", STACK);
        return new HostProcess(env, limit, deadline);
    }

    @Override
    public String description() {
        return "on this machine";
    }
}
