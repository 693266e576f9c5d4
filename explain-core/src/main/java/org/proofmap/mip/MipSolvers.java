package org.proofmap.mip;

import java.util.List;

/** The MIP back-ends by name, and the best one available here. */
public final class MipSolvers {
    /** Known back-end names. */
    public static final List<String> NAMES = List.of("ojalgo", "cbc");

    private MipSolvers() {}

    /**
     * CBC when its executable is found (it proves its optima and is ~10× faster on MIPs with tens of
     * binaries), otherwise ojAlgo (whose optima are a best effort, see {@link OjAlgoSolver}).
     */
    public static MipSolver best() {
        CbcSolver cbc = new CbcSolver();
        return cbc.isAvailable() ? cbc : new OjAlgoSolver();
    }

    /** Whether CBC can run here. */
    public static boolean isCbcAvailable() {
        return CbcSolver.locate() != null;
    }

    /**
     * The back-end called {@code name} ({@code ojalgo}, {@code cbc}, or {@code best}). Asking for
     * {@code cbc} when it is not installed is an error that says how to install it.
     */
    public static MipSolver byName(String name) {
        return switch (name.toLowerCase(java.util.Locale.ROOT)) {
            case "ojalgo" -> new OjAlgoSolver();
            case "cbc" -> {
                CbcSolver cbc = new CbcSolver();
                if (!cbc.isAvailable()) {
                    throw new IllegalArgumentException("the MIP solver 'cbc' is not installed: put the cbc executable "
                            + "on the PATH (Debian/Ubuntu: apt-get install coinor-cbc) or set -Dproofmap.cbc=<path>, "
                            + "or use 'ojalgo'");
                }
                yield cbc;
            }
            case "best" -> best();
            default -> throw new IllegalArgumentException("unknown MIP solver '" + name + "' (known: "
                    + String.join(", ", NAMES) + ", best)");
        };
    }
}
