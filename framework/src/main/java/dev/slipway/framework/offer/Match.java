package dev.slipway.framework.offer;

import java.util.List;
import java.util.Map;

/**
 * The outcome of matching demands to offers: where each placed demand goes, and for every
 * demand left over, why no offer took it (one reason per offer).
 */
public record Match(List<Placement> placements, Map<String, List<String>> vetoes) {
    public Match {
        placements = List.copyOf(placements);
        vetoes = Map.copyOf(vetoes);
    }
}
