package dev.slipway.cli.apply;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The {@code depends_on} references of an apps file: each names an app of the file, and none loops. */
final class DependencyOrder {
    private DependencyOrder() {
    }

    /**
     * What is wrong with the apps' references: {@code apps[2].depends_on: unknown app 'db'}, or
     * {@code depends_on: a cycle: api -> worker -> api}. Empty when nothing is.
     */
    static List<String> problems(List<AppSpec> apps) {
        List<String> problems = new ArrayList<>();
        Map<String, AppSpec> byName = new LinkedHashMap<>();
        apps.forEach(app -> byName.put(app.name(), app));
        for (int i = 0; i < apps.size(); i++) {
            for (String dependency : apps.get(i).dependsOn()) {
                if (!byName.containsKey(dependency)) {
                    problems.add("apps[" + i + "].depends_on: unknown app '" + dependency + "' (not in this file)");
                }
            }
        }
        if (!problems.isEmpty()) {
            return problems;
        }
        List<String> cycle = cycle(byName);
        if (cycle != null) {
            problems.add("depends_on: a cycle: " + String.join(" -> ", cycle));
        }
        return problems;
    }

    /** The first cycle found, its first app repeated at its end; null when there is none. */
    private static List<String> cycle(Map<String, AppSpec> byName) {
        Map<String, Integer> state = new HashMap<>();
        for (String name : byName.keySet()) {
            List<String> path = new ArrayList<>();
            List<String> found = visit(name, byName, state, path);
            if (found != null) {
                return found;
            }
        }
        return null;
    }

    /** Depth first: 1 while on the path, 2 once done. */
    private static List<String> visit(String name, Map<String, AppSpec> byName, Map<String, Integer> state,
                                      List<String> path) {
        Integer seen = state.get(name);
        if (seen != null && seen == 2) {
            return null;
        }
        if (seen != null) {
            List<String> cycle = new ArrayList<>(path.subList(path.indexOf(name), path.size()));
            cycle.add(name);
            return cycle;
        }
        state.put(name, 1);
        path.add(name);
        for (String dependency : byName.get(name).dependsOn()) {
            List<String> found = visit(dependency, byName, state, path);
            if (found != null) {
                return found;
            }
        }
        path.remove(path.size() - 1);
        state.put(name, 2);
        return null;
    }
}
