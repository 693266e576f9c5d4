package org.proofmap.mip;

import java.io.IOException;
import java.nio.file.Path;

/** Writes a model as the LP file CBC reads (for looking at CBC's log by hand). */
public final class LpDump {
    private LpDump() {}

    public static void write(MipModel m, Path file) throws IOException {
        CbcSolver.writeLp(m, file);
    }
}
