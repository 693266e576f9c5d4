package org.proofmap.bounds;

import java.util.List;

/** The bound methods by name, as the command line and the oracles pick them. */
public final class BoundMethods {
    /** Names in order of cost: interval bounds first, optimised bounds last. */
    public static final List<String> NAMES = List.of("ibp", "crown-ibp", "crown", "alpha-crown");

    private BoundMethods() {}

    /** The method called {@code name} with its default settings. */
    public static BoundMethod byName(String name) {
        return switch (name) {
            case "ibp" -> new Ibp();
            case "crown" -> new Crown(false);
            case "crown-ibp" -> new Crown(true);
            case "alpha-crown" -> new AlphaCrown();
            default -> throw new IllegalArgumentException("unknown bound method '" + name + "' (known: "
                    + String.join(", ", NAMES) + ")");
        };
    }
}
