package org.proofmap.bounds;

import java.util.List;

/** The bound methods by name, as the command line and the oracles pick them. */
public final class BoundMethods {
    /**
     * Names in order of cost: interval bounds first, optimised bounds, then the probabilistic
     * {@code pt-lirpa} (see {@link #isProbabilistic}).
     */
    public static final List<String> NAMES = List.of("ibp", "crown-ibp", "crown", "alpha-crown", "alpha-crown-full",
            "pt-lirpa");

    /** The names of the sound methods: {@link #NAMES} without the probabilistic ones. */
    public static final List<String> SOUND = NAMES.stream().filter(n -> !isProbabilistic(n)).toList();

    private BoundMethods() {}

    /**
     * Whether the method's bounds hold only with a stated confidence (sampling-based: PT-LiRPA), not
     * for every input of the domain; such results say {@code probabilistic: true} in their settings.
     */
    public static boolean isProbabilistic(String name) {
        return name.equals("pt-lirpa");
    }

    /** The method called {@code name} with its default settings. */
    public static BoundMethod byName(String name) {
        return switch (name) {
            case "ibp" -> new Ibp();
            case "crown" -> new Crown(false);
            case "crown-ibp" -> new Crown(true);
            case "alpha-crown" -> new AlphaCrown();
            case "alpha-crown-full" -> new AlphaCrown(AlphaCrown.Options.defaults(), true);
            case "pt-lirpa" -> new PtLirpa();
            default -> throw new IllegalArgumentException("unknown bound method '" + name + "' (known: "
                    + String.join(", ", NAMES) + ")");
        };
    }
}
