package org.proofmap.mip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The back-ends on small MILPs whose answer is known by enumeration. */
class MipSolversTest {
    private static volatile boolean warned;

    /** The back-ends that can run here; CBC is optional and skipped with a message when absent. */
    static List<MipSolver> solvers() {
        List<MipSolver> s = new ArrayList<>();
        s.add(new OjAlgoSolver());
        if (MipSolvers.isCbcAvailable()) {
            s.add(new CbcSolver());
        } else if (!warned) {
            warned = true;
            System.err.println("SKIPPED (CBC part): cbc is not on the PATH (apt-get install coinor-cbc); "
                    + "only ojAlgo is tested");
        }
        return s;
    }

    /**
     * min Σ c_j b_j + t  s.t.  Σ w_j b_j >= W,  t >= a·b − 3,  t in [0, 100], b binary; with decimal
     * and tiny coefficients so that the LP writer's number format is exercised.
     */
    @Test
    void smallMixedProgramsMatchEnumeration() {
        Random rng = new Random(7);
        for (int trial = 0; trial < 5; trial++) {
            int n = 10;
            double[] c = new double[n];
            double[] w = new double[n];
            double[] a = new double[n];
            for (int j = 0; j < n; j++) {
                c[j] = rng.nextGaussian() * 3 + 1e-7 * rng.nextGaussian();
                w[j] = 1 + rng.nextInt(9) + 0.125;
                a[j] = rng.nextDouble() * 2.5e-1 * 10;
            }
            double cap = 20.5;
            MipModel.Builder b = MipModel.builder();
            int[] bin = new int[n];
            for (int j = 0; j < n; j++) {
                bin[j] = b.addBinary();
                b.objective(bin[j], c[j]);
            }
            int t = b.addContinuous(0, 100);
            b.objective(t, 1.0);
            b.objectiveConstant(0.75);
            b.addConstraint(bin, w, MipModel.Sense.GE, cap);
            int[] idx = new int[n + 1];
            double[] co = new double[n + 1];
            for (int j = 0; j < n; j++) {
                idx[j] = bin[j];
                co[j] = -a[j];
            }
            idx[n] = t;
            co[n] = 1;
            b.addConstraint(idx, co, MipModel.Sense.GE, -3); // t - a·b >= -3
            MipModel m = b.build();
            double best = Double.POSITIVE_INFINITY;
            for (int mask = 0; mask < (1 << n); mask++) {
                double sw = 0;
                double sc = 0.75;
                double sa = 0;
                for (int j = 0; j < n; j++) {
                    if ((mask >> j & 1) != 0) {
                        sw += w[j];
                        sc += c[j];
                        sa += a[j];
                    }
                }
                if (sw >= cap) {
                    best = Math.min(best, sc + Math.max(0, sa - 3));
                }
            }
            for (MipSolver s : solvers()) {
                MipSolver.Result r = s.solve(m, 30);
                assertEquals(MipSolver.State.OPTIMAL, r.state(), s.name() + " " + r);
                assertEquals(best, r.objective(), 1e-6, s.name() + " trial " + trial);
                assertTrue(m.maxViolation(r.values()) <= 1e-6, s.name() + " violation " + m.maxViolation(r.values()));
                assertEquals(r.objective(), m.objectiveValue(r.values()), 1e-12);
                assertEquals(s.name(), r.solver());
            }
        }
    }

    @Test
    void infeasibleProgramsAreReportedAsSuch() {
        MipModel.Builder b = MipModel.builder();
        int x = b.addBinary();
        int y = b.addBinary();
        int z = b.addContinuous(-1, 1);
        b.addConstraint(new int[] {x, y, z}, new double[] {1, 1, 1}, MipModel.Sense.GE, 3.5);
        b.objective(z, 1);
        MipModel m = b.build();
        for (MipSolver s : solvers()) {
            MipSolver.Result r = s.solve(m, 10);
            assertEquals(MipSolver.State.INFEASIBLE, r.state(), s.name() + " " + r);
        }
    }

    @Test
    void modelBuilderMergesRepeatedVariablesAndChecksInput() {
        MipModel.Builder b = MipModel.builder();
        int x = b.addContinuous(-2, 3);
        int y = b.addContinuous(Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY);
        b.addConstraint(new int[] {x, y, x, y}, new double[] {1, 2, 1, -2}, MipModel.Sense.LE, 4);
        b.addConstraint(new int[] {y}, new double[] {0}, MipModel.Sense.LE, 1); // 0 <= 1: dropped
        assertThrows(IllegalArgumentException.class,
                () -> b.addConstraint(new int[] {x}, new double[] {0}, MipModel.Sense.GE, 1));
        assertThrows(IllegalArgumentException.class, () -> b.addContinuous(1, 0));
        b.objective(x, -1);
        MipModel m = b.build();
        assertEquals(1, m.constraintCount());
        assertEquals(1, m.constraintVariables(0).length);
        assertEquals(2.0, m.constraintCoefficients(0)[0]);
        assertThrows(IllegalStateException.class, b::build);
        for (MipSolver s : solvers()) {
            MipSolver.Result r = s.solve(m, 10);
            assertEquals(MipSolver.State.OPTIMAL, r.state(), s.name() + " " + r);
            assertEquals(-2.0, r.objective(), 1e-9, s.name());
        }
    }

    @Test
    void solversByName() {
        assertEquals("ojalgo", MipSolvers.byName("ojalgo").name());
        assertNotNull(MipSolvers.best());
        assertThrows(IllegalArgumentException.class, () -> MipSolvers.byName("gurobi"));
        if (MipSolvers.isCbcAvailable()) {
            assertEquals("cbc", MipSolvers.byName("cbc").name());
            assertEquals("cbc", MipSolvers.best().name());
        } else {
            assertThrows(IllegalArgumentException.class, () -> MipSolvers.byName("cbc"));
            assertEquals("ojalgo", MipSolvers.best().name());
        }
        MipSolver.Result missing = new CbcSolver(null, 0).solve(MipModel.builder().build(), 1);
        assertEquals(MipSolver.State.UNKNOWN, missing.state());
    }

    static String script(Path dir, String name, String body) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        return p.toString();
    }

    /** A stand-in executable that hangs is killed after the limit and a grace period; nothing is left behind. */
    @Test
    void hangingCbcIsKilledAndItsFilesRemoved(@TempDir Path dir) throws IOException {
        Assumptions.assumeTrue(Files.isExecutable(Paths.get("/bin/sh")), "needs a POSIX shell");
        MipModel.Builder b = MipModel.builder();
        b.objective(b.addBinary(), 1);
        MipModel m = b.build();
        // Each stand-in records the working directory the solver gave it: that directory, not a count
        // of proofmap-cbc-* folders in the shared temp directory (other processes make them too), must
        // be gone afterwards.
        Path hangWhere = dir.resolve("hang.where");
        Path silentWhere = dir.resolve("silent.where");
        CbcSolver hang = new CbcSolver(script(dir, "cbc-hang", "pwd > '" + hangWhere + "'; exec sleep 60"), 0,
                List.of(), 0.5);
        long t0 = System.nanoTime();
        MipSolver.Result r = hang.solve(m, 0.2);
        double sec = (System.nanoTime() - t0) / 1e9;
        assertEquals(MipSolver.State.UNKNOWN, r.state(), r.toString());
        assertTrue(r.message().contains("killed"), r.message());
        assertTrue(sec < 3.0, "took " + sec + " s");
        CbcSolver silent = new CbcSolver(script(dir, "cbc-silent",
                "pwd > '" + silentWhere + "'; echo 'ERROR: something'; exit 0"), 0);
        MipSolver.Result q = silent.solve(m, 5);
        assertEquals(MipSolver.State.UNKNOWN, q.state(), q.toString());
        assertTrue(q.message().contains("no solution"), q.message());
        for (Path where : List.of(hangWhere, silentWhere)) {
            Path work = Paths.get(Files.readString(where).trim());
            assertTrue(work.getFileName().toString().startsWith("proofmap-cbc-"), work.toString());
            assertFalse(Files.exists(work), "temporary directory left behind: " + work);
        }
    }
}
