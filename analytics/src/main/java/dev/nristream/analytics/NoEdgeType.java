package dev.nristream.analytics;

import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Which of a graph's edge types is the model's "no edge" type. Graph records carry only the type names, and the
 * exporter names that type {@code none} (model.json's {@code no_edge_type}); other spellings are accepted.
 */
final class NoEdgeType {

    private static final Set<String> NAMES = Set.of("none", "no edge", "no-edge", "no_edge", "noedge");

    private NoEdgeType() {
    }

    /** Index of the "no edge" type among {@code names}, or -1 when every type is an interaction. */
    static int indexIn(List<String> names) {
        for (int i = 0; i < names.size(); i++) {
            if (NAMES.contains(names.get(i).trim().toLowerCase(Locale.ROOT))) {
                return i;
            }
        }
        return -1;
    }
}
