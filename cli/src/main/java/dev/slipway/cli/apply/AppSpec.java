package dev.slipway.cli.apply;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One app as an apps file declares it. A field left out of the file is null here and left alone
 * on the server; a field given is converged to.
 *
 * @param source      the directory to build from (resolved against the file's folder); null: none
 * @param release     a release of the app ({@code v3}) or a slug id whose slug the app should run; null: none
 * @param formation   process type to quantity; null: not managed
 * @param sizes       process type to size name; null: not managed
 * @param config      var name to value, or to null to unset it; vars not named are left as they are;
 *                    null: not managed
 * @param constraints process type to its whole list of constraints ({@code []} clears); null: not managed
 * @param domains     the app's whole list of custom domains; null: not managed
 * @param dependsOn   apps of the same file that must converge before this one
 * @param team        the team to create the app in; null: the caller's only team
 */
public record AppSpec(String name, Path source, String release, Map<String, Integer> formation,
                      Map<String, String> sizes, Map<String, String> config, Map<String, List<String>> constraints,
                      List<String> domains, List<String> dependsOn, String team) {
    public AppSpec {
        Objects.requireNonNull(name, "name");
        formation = copy(formation);
        sizes = copy(sizes);
        config = copy(config);
        constraints = constraints == null ? null : Collections.unmodifiableMap(new LinkedHashMap<>(constraints));
        domains = domains == null ? null : List.copyOf(domains);
        dependsOn = dependsOn == null ? List.of() : List.copyOf(dependsOn);
    }

    /** A copy that keeps the order given and null values (a config var to unset). */
    private static <V> Map<String, V> copy(Map<String, V> map) {
        return map == null ? null : Collections.unmodifiableMap(new LinkedHashMap<>(map));
    }

    /** Only a name: nothing managed. */
    public static AppSpec named(String name) {
        return new AppSpec(name, null, null, null, null, null, null, null, null, null);
    }
}
