package org.proofmap.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.proofmap.cli.Cli.assertBadInput;
import static org.proofmap.cli.Cli.assertDebugTrace;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.proofmap.testing.OnnxModels;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * One test per kind of bad input: each must end with exit code 2 and exactly one line
 * {@code error: <file as given>: <problem>} on standard error, and with {@code --debug} (before or
 * after the command name) the same line followed by a stack trace.
 */
class ErrorHandlingTest {
    @TempDir
    Path dir;

    private Path validModel() {
        return OnnxModels.mlp(1, 5, 8, 3).write(dir.resolve("mlp.onnx"));
    }

    private Path write(String name, byte[] bytes) throws IOException {
        return Files.write(dir.resolve(name), bytes);
    }

    private Path writeText(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text);
    }

    /** Runs {@code info FILE}, checks the one-line error, then again with --debug after the command. */
    private String infoFails(Path model, String phrase) {
        String line = assertBadInput(Cli.run("info", model.toString()), model.toString(), phrase);
        assertDebugTrace(Cli.run("info", model.toString(), "--debug"), 2, line);
        return line;
    }

    @Test
    void truncatedOnnx() throws IOException {
        byte[] bytes = Files.readAllBytes(validModel());
        Path half = write("half.onnx", Arrays.copyOf(bytes, bytes.length / 2));
        infoFails(half, "not a valid ONNX model");
    }

    @Test
    void randomBytesOnnx() throws IOException {
        byte[] noise = new byte[4096];
        new Random(7).nextBytes(noise);
        infoFails(write("noise.onnx", noise), "not a valid ONNX model");
    }

    @Test
    void emptyOnnx() throws IOException {
        infoFails(write("empty.onnx", new byte[0]), "the file is empty");
    }

    @Test
    void unsupportedOperatorNamesOperatorAndNode() {
        OnnxModels m = OnnxModels.builder(13).input("x", -1, 4)
                .node("Relu", List.of("x"), "h")
                .node("Einsum", List.of("h"), "y", OnnxModels.attr("equation", "bi->bi"))
                .output("y", -1, 4);
        String node = m.nodeNames().get(1);
        Path p = m.write(dir.resolve("einsum.onnx"));
        String line = infoFails(p, "unsupported operator 'Einsum'");
        assertTrue(line.contains("'" + node + "'"), line);
        // forward reports it the same way
        assertBadInput(Cli.run("forward", p.toString(), "--input", "whatever.csv"), p.toString(),
                "unsupported operator 'Einsum'");
    }

    @Test
    void inconsistentShapesGemmInnerDimensions() {
        // x is 1x4 but W is 3x2: the inner dimensions 4 and 3 of x·W do not match.
        Path p = OnnxModels.builder(13).input("x", -1, 4)
                .initializer("W", new double[6], 3, 2)
                .node("Gemm", List.of("x", "W"), "y")
                .output("y", -1, 2).write(dir.resolve("gemm.onnx"));
        String line = infoFails(p, "inner dimensions differ");
        assertTrue(line.contains("node 'gemm_0' (Gemm)"), line);
    }

    private Path modelWithWeight(String name, double bad) {
        double[] w = {1, 0, 0, 1, 0.5, bad};
        return OnnxModels.builder(13).input("x", -1, 2)
                .initializer("W", w, 3, 2)
                .node("Gemm", List.of("x", "W"), "y", OnnxModels.attr("transB", 1L))
                .output("y", -1, 3).write(dir.resolve(name));
    }

    @Test
    void nanWeights() {
        String line = infoFails(modelWithWeight("nan.onnx", Double.NaN), "contains NaN");
        assertTrue(line.contains("initializer 'W'"), line);
    }

    @Test
    void infWeights() {
        String line = infoFails(modelWithWeight("inf.onnx", Double.NEGATIVE_INFINITY), "contains -Inf");
        assertTrue(line.contains("initializer 'W'"), line);
    }

    @Test
    void vnnlibSyntaxErrorHasLineAndColumn() throws IOException {
        Path p = writeText("bad.vnnlib", String.join("\n",
                "; a property with a typo",
                "(declare-const X_0 Real)",
                "(declare-const Y_0 Real)",
                "(assert (<= X_0 1.0))",
                "(assert (>= X_0 0.0))",
                "(assert (>== Y_0 3.5))",
                ""));
        String line = assertBadInput(Cli.run("vnnlib", p.toString()), p.toString(), "line 6, column 10: ");
        assertTrue(line.contains("'>=='"), line);
        assertDebugTrace(Cli.run("--debug", "vnnlib", p.toString()), 2, line);
    }

    @Test
    void vnnlibSemanticErrorNamesTheFile() throws IOException {
        Path p = writeText("nolower.vnnlib", "(declare-const X_0 Real)\n(declare-const Y_0 Real)\n"
                + "(assert (<= X_0 1.0))\n(assert (>= Y_0 0))\n");
        assertBadInput(Cli.run("vnnlib", p.toString()), p.toString(), "X_0 has no lower bound");
    }

    @Test
    void wrongInputLengthNamesTheInputFile() throws IOException {
        Path model = validModel();
        Path csv = writeText("short.csv", "0.1,0.2,0.3,0.4\n");
        String line = assertBadInput(Cli.run("forward", model.toString(), "--input", csv.toString()),
                csv.toString(), "the model takes 5 input values (shape 1x5), found 4");
        assertEquals("error: " + csv + ": the model takes 5 input values (shape 1x5), found 4", line);
        assertDebugTrace(Cli.run("--debug", "forward", model.toString(), "--input", csv.toString()), 2, line);
    }

    @Test
    void badInputFileContent() throws IOException {
        Path model = validModel();
        Path csv = writeText("abc.csv", "1,2,abc,4,5\n");
        assertBadInput(Cli.run("forward", model.toString(), "--input", csv.toString()), csv.toString(),
                "value 3 is not a number: 'abc'");
        Path nan = writeText("nan.csv", "1,2,NaN,4,5\n");
        assertBadInput(Cli.run("forward", model.toString(), "-i", nan.toString()), nan.toString(),
                "value 3 is not finite");
    }

    @Test
    void missingModelFile() {
        String missing = dir.resolve("no-such-model.onnx").toString();
        String line = assertBadInput(Cli.run("info", missing), missing, "file not found");
        assertDebugTrace(Cli.run("--debug", "info", missing), 2, line);
        assertBadInput(Cli.run("forward", missing, "--input", "x.csv"), missing, "file not found");
    }

    @Test
    void relativePathIsReportedAsGiven() {
        String missing = "no/such/dir/model.onnx";
        assertEquals("error: no/such/dir/model.onnx: file not found",
                assertBadInput(Cli.run("info", missing), missing, "file not found"));
    }

    @Test
    void missingInputFile() {
        Path model = validModel();
        String missing = dir.resolve("no-such-input.csv").toString();
        String line = assertBadInput(Cli.run("forward", model.toString(), "--input", missing), missing,
                "file not found");
        assertDebugTrace(Cli.run("forward", "--debug", model.toString(), "--input", missing), 2, line);
    }

    @Test
    void missingVnnlibFile() {
        String missing = dir.resolve("no-such.vnnlib").toString();
        String line = assertBadInput(Cli.run("vnnlib", missing), missing, "no such file");
        assertDebugTrace(Cli.run("vnnlib", missing, "--debug"), 2, line);
    }

    @Test
    void directoryInsteadOfFile() {
        assertBadInput(Cli.run("info", dir.toString()), dir.toString(), "directory");
    }

    @Test
    void unknownOptionIsAUsageError() {
        Cli.Result r = Cli.run("info", "--bogus", "model.onnx");
        assertEquals(2, r.code(), r::toString);
        assertEquals("", r.out());
        assertTrue(r.err().startsWith("error: Unknown option: '--bogus'"), r::toString);
        assertTrue(r.err().contains("Try 'proofmap info --help' for more information."), r::toString);
        assertTrue(!r.err().contains("\tat "), r::toString);
    }

    @Test
    void unknownOptionBeforeTheCommand() {
        Cli.Result r = Cli.run("--bogus", "info", "model.onnx");
        assertEquals(2, r.code(), r::toString);
        assertTrue(r.err().contains("'--bogus'"), r::toString);
    }

    @Test
    void missingParameterIsAUsageError() {
        Cli.Result r = Cli.run("forward", "model.onnx");
        assertEquals(2, r.code(), r::toString);
        assertTrue(r.err().startsWith("error: Missing required option: '--input=FILE'"), r::toString);
        r = Cli.run("info");
        assertEquals(2, r.code(), r::toString);
        assertTrue(r.err().startsWith("error: Missing required parameter: 'MODEL'"), r::toString);
    }

    @Test
    void unknownCommandSuggestsTheNearestOne() {
        Cli.Result r = Cli.run("inf", "model.onnx");
        assertEquals(2, r.code(), r::toString);
        assertTrue(r.err().contains("info"), r::toString);
    }

    @Test
    void noCommandIsAUsageError() {
        Cli.Result r = Cli.run();
        assertEquals(2, r.code(), r::toString);
        assertTrue(r.err().startsWith("error: missing command: choose one of info, forward, vnnlib"), r::toString);
    }

    @Command(name = "boom")
    static final class Boom implements Callable<Integer> {
        @Override
        public Integer call() {
            throw new IllegalStateException("the sky fell");
        }
    }

    @Test
    void aBugIsAnInternalErrorWithExitCode1() {
        CommandLine cmd = ProofmapCommand.commandLine();
        cmd.addSubcommand(new CommandLine(new Boom()));
        Cli.Result r = Cli.run(cmd, "boom");
        assertEquals(1, r.code(), r::toString);
        assertEquals(1, r.errLines().length, r::toString);
        assertEquals("error: internal error: the sky fell (run with --debug for details)", r.errLines()[0]);

        cmd = ProofmapCommand.commandLine();
        cmd.addSubcommand(new CommandLine(new Boom()));
        r = Cli.run(cmd, "--debug", "boom");
        assertEquals(1, r.code(), r::toString);
        assertEquals("error: internal error: the sky fell", r.errLines()[0]);
        assertTrue(r.errLines()[1].startsWith("java.lang.IllegalStateException: the sky fell"), r::toString);
    }
}
