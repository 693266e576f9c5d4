package org.proofmap.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;

/** Runs {@code proofmap} in-process with captured standard output and error. */
final class Cli {
    private Cli() {}

    record Result(int code, String out, String err) {
        /** Standard error split into lines (no trailing empty line). */
        String[] errLines() {
            return err.isEmpty() ? new String[0] : err.split("\\R");
        }

        String[] outLines() {
            return out.isEmpty() ? new String[0] : out.split("\\R");
        }

        @Override
        public String toString() {
            return "exit " + code + "\n--- stdout:\n" + out + "--- stderr:\n" + err;
        }
    }

    static Result run(String... args) {
        return run(null, args);
    }

    /** Runs on {@code cmd} (a configured {@link ProofmapCommand#commandLine()}), or a fresh one if null. */
    static Result run(CommandLine cmd, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
                PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            int code = cmd == null ? ProofmapCommand.run(o, e, args) : ProofmapCommand.run(cmd, o, e, args);
            return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        }
    }

    static Result ok(String... args) {
        Result r = run(args);
        assertEquals(0, r.code(), r::toString);
        // explain's progress lines (every 15 s of a long run, and on resuming) are meant for the user;
        // on a slow machine the mnist explanation of ExplainCommandTest prints one.
        String noise = r.err().lines().filter(l -> !l.startsWith("explain: ")).collect(
                java.util.stream.Collectors.joining("\n"));
        assertEquals("", noise, r::toString);
        return r;
    }

    /**
     * Asserts a bad-input failure: exit 2, nothing on standard output, exactly one line on standard
     * error starting with {@code error: <file>: }, containing {@code phrase}, without Java noise.
     * Returns that line.
     */
    static String assertBadInput(Result r, String file, String phrase) {
        assertEquals(2, r.code(), r::toString);
        assertEquals("", r.out(), r::toString);
        String[] lines = r.errLines();
        assertEquals(1, lines.length, r::toString);
        String line = lines[0];
        assertTrue(line.startsWith("error: " + file + ": "), line);
        assertTrue(line.contains(phrase), () -> "expected '" + phrase + "' in: " + line);
        assertFalse(line.contains("Exception"), line);
        assertFalse(line.contains("at org."), line);
        assertFalse(line.contains("at java."), line);
        return line;
    }

    /** Asserts that the run printed {@code firstLine} followed by a stack trace. */
    static void assertDebugTrace(Result r, int code, String firstLine) {
        assertEquals(code, r.code(), r::toString);
        String[] lines = r.errLines();
        assertTrue(lines.length > 2, r::toString);
        assertEquals(firstLine, lines[0], r::toString);
        assertTrue(lines[1].contains("Exception") || lines[1].contains("Error"), r::toString);
        assertTrue(r.err().contains("\tat org.proofmap."), r::toString);
    }
}
