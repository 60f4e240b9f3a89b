package dev.slipway.framework.offer;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The outcome of matching demands to offers: where each placed demand goes, and for every
 * demand left over, why no offer took it (one reason per offer).
 *
 * @param constrained the demands left over only because of their constraints: some offer had
 *        room for them, and every offer with room was turned down by a constraint
 */
public record Match(List<Placement> placements, Map<String, List<String>> vetoes, Set<String> constrained) {
    public Match {
        placements = List.copyOf(placements);
        vetoes = Map.copyOf(vetoes);
        constrained = Set.copyOf(constrained);
    }
}
