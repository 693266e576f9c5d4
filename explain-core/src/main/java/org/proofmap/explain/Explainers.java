package org.proofmap.explain;

import java.util.List;
import java.util.Locale;

/** The explanation algorithms by name. */
public final class Explainers {
    public static final List<String> NAMES = List.of("deletion", "binary", "quickxplain");

    private Explainers() {}

    public static Explainer byName(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "deletion" -> new DeletionExplainer();
            case "binary" -> new BinaryExplainer();
            case "quickxplain" -> new QuickXplainExplainer();
            default -> throw new IllegalArgumentException("unknown algorithm '" + name + "' (known: "
                    + String.join(", ", NAMES) + ")");
        };
    }
}
