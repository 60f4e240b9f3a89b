package dev.slipway.cli.apply;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The steps that take an app from its {@link AppState} to its {@link AppSpec}: a pure function.
 * Order: create, config (so that a build gets the config, as buildpacks read it at build time),
 * deploy or release, then the formation (the API scales only types the current release has),
 * then domains. A field the spec leaves out yields no step.
 */
public final class Planner {
    private Planner() {
    }

    /**
     * @param sourceChecksum the checksum of the spec's source as it is now; null when it gives none
     */
    public static AppPlan plan(AppSpec spec, AppState state, String sourceChecksum) {
        List<Step> steps = new ArrayList<>();
        if (!state.exists()) {
            steps.add(new Step.Create(spec.team()));
        }
        config(spec, state, steps);
        if (spec.source() != null) {
            String why = state.release() == 0 ? "first deploy"
                    : state.deployedSource() == null ? "no deploy from apply on record"
                    : !state.deployedSource().equals(sourceChecksum) ? "source changed" : null;
            if (why != null) {
                steps.add(new Step.Deploy(spec.source(), sourceChecksum, why));
            }
        } else if (spec.release() != null && !Objects.equals(state.wantedSlug(), state.slug())) {
            steps.add(new Step.Release(spec.release(), state.wantedSlug()));
        }
        formation(spec, state, steps);
        domains(spec, state, steps);
        return new AppPlan(spec, !state.exists(), steps, null);
    }

    private static void config(AppSpec spec, AppState state, List<Step> steps) {
        if (spec.config() == null) {
            return;
        }
        Map<String, String> changes = new LinkedHashMap<>();
        spec.config().forEach((name, value) -> {
            if (value == null ? state.config().containsKey(name) : !value.equals(state.config().get(name))) {
                changes.put(name, value);
            }
        });
        if (!changes.isEmpty()) {
            steps.add(new Step.SetConfig(changes));
        }
    }

    private static void formation(AppSpec spec, AppState state, List<Step> steps) {
        if (spec.formation() != null) {
            spec.formation().forEach((type, quantity) -> {
                AppState.Formation row = state.formation().get(type);
                if (row == null || row.quantity() != quantity) {
                    steps.add(new Step.Scale(type, quantity, row == null ? null : row.quantity()));
                }
            });
        }
        if (spec.sizes() != null) {
            spec.sizes().forEach((type, size) -> {
                AppState.Formation row = state.formation().get(type);
                if (row == null || !size.equals(row.size())) {
                    steps.add(new Step.Resize(type, size, row == null ? null : row.size()));
                }
            });
        }
        if (spec.constraints() != null) {
            spec.constraints().forEach((type, constraints) -> {
                AppState.Formation row = state.formation().get(type);
                List<String> now = row == null ? List.of() : row.constraints();
                if (!now.equals(constraints) && !(row == null && constraints.isEmpty())) {
                    steps.add(new Step.Constrain(type, constraints));
                }
            });
        }
    }

    private static void domains(AppSpec spec, AppState state, List<Step> steps) {
        if (spec.domains() == null) {
            return;
        }
        List<String> now = state.domains() == null ? List.of() : state.domains();
        for (String host : spec.domains()) {
            if (!now.contains(host)) {
                steps.add(new Step.AddDomain(host));
            }
        }
        if (state.domains() != null) {
            for (String host : now) {
                if (!spec.domains().contains(host)) {
                    steps.add(new Step.RemoveDomain(host));
                }
            }
        }
    }

    static String shortSlug(String slug) {
        return slug == null ? "?" : slug.length() > 12 ? slug.substring(0, 12) : slug;
    }
}
