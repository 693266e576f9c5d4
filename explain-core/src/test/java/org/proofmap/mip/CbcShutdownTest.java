package org.proofmap.mip;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A JVM stopped by SIGTERM (as Ctrl-C stops it) takes its running CBC processes and their folders
 * with it. The "CBC" here is a script standing in for it: it notes its folder and sleeps for a
 * minute; a child JVM ({@link Probe}) starts a solve with it and is then stopped.
 */
class CbcShutdownTest {
    @TempDir
    Path dir;

    /** Solves a one-variable model with the CBC given as the first argument. */
    static final class Probe {
        public static void main(String[] args) {
            MipModel.Builder b = MipModel.builder();
            b.addContinuous(0, 1);
            new CbcSolver(args[0], 0).solve(b.build(), 60);
        }
    }

    @Test
    void aStoppedJvmKillsItsSolvers() throws Exception {
        assumeTrue(System.getProperty("os.name").toLowerCase().contains("linux"), "needs a POSIX shell and signals");
        Path marker = dir.resolve("folder.txt");
        Path cbc = dir.resolve("fake-cbc");
        Files.writeString(cbc, "#!/bin/sh\npwd > " + marker + "\nexec sleep 60\n");
        Files.setPosixFilePermissions(cbc, PosixFilePermissions.fromString("rwx------"));
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process jvm = new ProcessBuilder(List.of(java.toString(), "-cp", System.getProperty("java.class.path"),
                Probe.class.getName(), cbc.toString())).redirectErrorStream(true)
                .redirectOutput(dir.resolve("probe.log").toFile()).start();
        Optional<ProcessHandle> solver = Optional.empty();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline && (solver.isEmpty() || !Files.exists(marker))) {
            solver = jvm.descendants().findFirst();
            Thread.sleep(50);
        }
        assertTrue(solver.isPresent() && Files.exists(marker), "the probe never started its solver: "
                + Files.readString(dir.resolve("probe.log")));
        Thread.sleep(200); // the marker is written: the script has reached its sleep
        Path folder = Path.of(Files.readString(marker).trim());
        assertTrue(Files.isDirectory(folder));
        jvm.destroy(); // SIGTERM
        assertTrue(jvm.waitFor(20, TimeUnit.SECONDS), "the probe did not stop");
        ProcessHandle s = solver.get();
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (s.isAlive() && System.nanoTime() < until) {
            Thread.sleep(50);
        }
        boolean alive = s.isAlive();
        if (alive) {
            s.destroyForcibly();
        }
        assertFalse(alive, "the solver outlived its JVM");
        assertFalse(Files.exists(folder), "the solver's folder outlived its JVM");
    }
}
